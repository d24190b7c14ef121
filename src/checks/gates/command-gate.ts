/** A command gate: a shell command whose exit code decides; its whole output goes to a log file, its tail to the report. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Gate, parseDuration } from '../../config/index.js';
import { startShell } from '../../shell/index.js';
import type { GateContext, GateOutcome } from './types.js';

const TAIL_LINES = 20;
/** Between SIGTERM and SIGKILL when a gate is stopped: time for a test runner to print why and clean up. */
const KILL_GRACE_MS = 5_000;

export async function runCommandGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const command = gate.run ?? '';
  const cwd = resolve(ctx.cwd, gate.cwd ?? '.');
  await mkdir(ctx.logDir, { recursive: true });
  const logFile = join(ctx.logDir, `${gate.id}.log`);
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = ctx.redactor.redact(chunk.toString('utf8'));
    log.write(text);
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > TAIL_LINES * 4) lines.splice(0, lines.length - TAIL_LINES);
  };
  const timeoutMs = parseDuration(gate.timeout);
  const started = Date.now();
  // Its own process group (shell/process.ts): a timeout or Ctrl-C stops the command's children too, and SIGKILL
  // follows for a test runner that ignores SIGTERM, which would otherwise hang the check run.
  const proc = startShell(command, {
    cwd,
    env: { ...ctx.env, CI: ctx.env.CI ?? '1', FORCE_COLOR: '0' },
    onData: (_stream, chunk) => collect(chunk),
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
