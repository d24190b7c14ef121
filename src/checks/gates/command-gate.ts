/** A command gate: a shell command whose exit code decides; its whole output goes to a log file, its tail to the report. */
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type Gate, parseDuration } from '../../config/index.js';
import { startShell } from '../../shell/index.js';
import type { GateContext, GateOutcome } from './types.js';

const TAIL_LINES = 20;
/** A line longer than this is redacted in pieces rather than held in memory whole (a progress bar never ends one). */
const MAX_PENDING = 64 * 1024;
/** Between SIGTERM and SIGKILL when a gate is stopped: time for a test runner to print why and clean up. */
const KILL_GRACE_MS = 5_000;

export async function runCommandGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const command = gate.run ?? '';
  const cwd = resolve(ctx.cwd, gate.cwd ?? '.');
  // A missing folder made the spawn fail as "spawn /bin/sh ENOENT", which blames the shell.
  if (!(await stat(cwd).catch(() => undefined))?.isDirectory())
    return {
      status: 'failed',
      summary: `could not start: its cwd '${gate.cwd}' is not a folder (paths are from the folder opsbook runs in)`,
      evidence: { command, cwd: gate.cwd ?? '.', exitCode: null, seconds: 0 },
    };
  await mkdir(ctx.logDir, { recursive: true });
  const logFile = join(ctx.logDir, `${gate.id}.log`);
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  let partial = '';
  const emit = (text: string) => {
    const redacted = ctx.redactor.redact(text);
    log.write(redacted);
    const parts = (partial + redacted).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > TAIL_LINES * 4) lines.splice(0, lines.length - TAIL_LINES);
  };
  // Whole lines are redacted, per stream: a secret that arrived in two chunks was masked in neither and reached the
  // log file whole (and a character split between chunks was garbled).
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const pending = { stdout: '', stderr: '' };
  const collect = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
    const text = pending[stream] + decoders[stream].write(chunk);
    const cut = text.length > MAX_PENDING ? text.length : text.lastIndexOf('\n') + 1;
    pending[stream] = text.slice(cut);
    if (cut) emit(text.slice(0, cut));
  };
  const timeoutMs = parseDuration(gate.timeout);
  const started = Date.now();
  // Its own process group (shell/process.ts): a timeout or Ctrl-C stops the command's children too, and SIGKILL
  // follows for a test runner that ignores SIGTERM, which would otherwise hang the check run.
  const proc = startShell(command, {
    cwd,
    env: { ...ctx.env, CI: ctx.env.CI ?? '1', FORCE_COLOR: '0' },
    onData: (stream, chunk) => collect(stream, chunk),
  });
  let timedOut = false;
  let stopping: Promise<unknown> | undefined;
  const stop = () => {
    stopping ??= proc.stop(KILL_GRACE_MS);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  ctx.signal.addEventListener('abort', stop, { once: true });
  const exit = await proc.exited;
  clearTimeout(timer);
  ctx.signal.removeEventListener('abort', stop);
  await stopping;
  for (const stream of ['stdout', 'stderr'] as const) {
    const rest = pending[stream] + decoders[stream].end();
    if (rest) emit(`${rest}\n`);
  }
  if (partial) lines.push(partial);
  await new Promise((r) => log.end(r));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const tail = lines.slice(-TAIL_LINES).join('\n');
  const evidence = { command, cwd: gate.cwd ?? '.', exitCode: exit.code, seconds: Number(seconds) };
  if (exit.error) return { status: 'failed', summary: `could not start: ${exit.error}`, evidence, logFile };
  if (timedOut)
    return { status: 'failed', summary: `timed out after ${gate.timeout}`, evidence, logFile, tail };
  if (exit.code !== 0)
    return {
      status: 'failed',
      summary: `\`${command}\` exited ${exit.code ?? exit.signal} after ${seconds}s`,
      evidence,
      logFile,
      tail,
    };
  return { status: 'passed', summary: `\`${command}\` passed in ${seconds}s`, evidence, logFile };
}
