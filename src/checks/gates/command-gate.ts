/** A command gate: a shell command whose exit code decides; its whole output goes to a log file, its tail to the report. */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Gate, parseDuration } from '../../config/index.js';
import { signalGroup } from '../../shell/index.js';
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
  const result = await new Promise<{
    code: number | null;
    signal: string | null;
    error?: Error;
    timedOut: boolean;
  }>((done) => {
    let timedOut = false;
    // detached: the command gets its own process group so a timeout or Ctrl-C stops its children too.
    const child = spawn(command, {
      cwd,
      env: { ...ctx.env, CI: ctx.env.CI ?? '1', FORCE_COLOR: '0' },
      shell: true,
      detached: true,
    });
    const timers: NodeJS.Timeout[] = [];
    let stopping = false;
    let exited: { code: number | null; signal: string | null } | undefined;
    // A test runner that ignores SIGTERM (or a child that left its group holding the pipes) must not hang the gate.
    const kill = () => {
      if (stopping || child.pid === undefined) return;
      stopping = true;
      const pid = child.pid;
      signalGroup(pid, 'SIGTERM');
      timers.push(
        setTimeout(() => {
          signalGroup(pid, 'SIGKILL');
          timers.push(setTimeout(() => finish(exited?.code ?? null, exited?.signal ?? 'SIGKILL'), 500));
        }, KILL_GRACE_MS),
      );
    };
    let finished = false;
    const finish = (code: number | null, signal: string | null, error?: Error) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      ctx.signal.removeEventListener('abort', onAbort);
      done({ code, signal, error, timedOut });
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs),
    );
    const onAbort = () => kill();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => finish(null, null, error));
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // A background child left holding the output would keep 'close' away until the timeout: the exit decides.
      setTimeout(() => stopping || finish(code, signal), 500).unref();
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
  if (partial) lines.push(partial);
  await new Promise((r) => log.end(r));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const tail = lines.slice(-TAIL_LINES).join('\n');
  const evidence = { command, cwd: gate.cwd ?? '.', exitCode: result.code, seconds: Number(seconds) };
  if (result.error)
    return { status: 'failed', summary: `could not start: ${result.error.message}`, evidence, logFile };
  if (result.timedOut)
    return { status: 'failed', summary: `timed out after ${gate.timeout}`, evidence, logFile, tail };
  if (result.code !== 0)
    return {
      status: 'failed',
      summary: `\`${command}\` exited ${result.code ?? result.signal} after ${seconds}s`,
      evidence,
      logFile,
      tail,
    };
  return { status: 'passed', summary: `\`${command}\` passed in ${seconds}s`, evidence, logFile };
}
