/** Runs an engine's shell command (apply, or print SQL) and keeps what a failure report needs: exit and output tail. */
import { spawn } from 'node:child_process';
import { signalGroup } from '../../shell/index.js';
import { formatSpan } from '../../timing/index.js';

export interface CommandRun {
  ok: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last lines of stdout and stderr together, for messages. */
  tail: string;
  /** Set when the command could not be started at all. */
  spawnError?: string;
  /** Set when the command was stopped for running longer than this. */
  timedOutAfterMs?: number;
  /** Set when the run was cancelled (Ctrl-C, the deploy stopping). */
  aborted?: boolean;
}

export interface RunShellOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Stop the command (and everything it started) after this long. Default: no limit. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL when the command is stopped. Default 10 s, time for an engine to roll back. */
  killGraceMs?: number;
  onLine?: (line: string) => void;
}

const MAX_OUTPUT = 4 * 1024 * 1024;
/** A command that leaves a background child holding stdout would never 'close'; 'exit' plus this is enough. */
const CLOSE_AFTER_EXIT_MS = 500;

export function runShell(command: string, options: RunShellOptions): Promise<CommandRun> {
  return new Promise((done) => {
    if (options.signal?.aborted) {
      done({ ok: false, code: null, signal: null, stdout: '', tail: '', aborted: true });
      return;
    }
    // detached: the command leads its own process group, so a stop reaches what `sh` started (npx, the engine's
    // node or python process), not only the shell; killing `sh` alone leaves them running with the pipes open.
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let combined = '';
    const take = (chunk: Buffer, toStdout: boolean) => {
      const text = chunk.toString();
      if (toStdout && stdout.length < MAX_OUTPUT) stdout += text;
      combined = (combined + text).slice(-64 * 1024);
      for (const line of text.split('\n')) if (line.trim()) options.onLine?.(line);
    };
    child.stdout.on('data', (c: Buffer) => take(c, true));
    child.stderr.on('data', (c: Buffer) => take(c, false));

    let stopped: Pick<CommandRun, 'timedOutAfterMs' | 'aborted'> | undefined;
    const timers: NodeJS.Timeout[] = [];
    const stop = (why: NonNullable<typeof stopped>) => {
      if (stopped || child.pid === undefined) return;
      stopped = why;
      signalGroup(child.pid, 'SIGTERM');
      const pid = child.pid;
      timers.push(
        setTimeout(() => {
          signalGroup(pid, 'SIGKILL');
          // A process that left the group (setsid) could still hold the pipes: the run is over regardless.
          timers.push(
            setTimeout(() => finish(exited?.code ?? null, exited?.signal ?? 'SIGKILL'), CLOSE_AFTER_EXIT_MS),
          );
        }, options.killGraceMs ?? 10_000),
      );
    };
    const onAbort = () => stop({ aborted: true });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs && options.timeoutMs > 0) {
      const limit = options.timeoutMs;
      timers.push(setTimeout(() => stop({ timedOutAfterMs: limit }), limit));
    }

    let spawnError: string | undefined;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      const tail = combined.trimEnd().split('\n').slice(-20).join('\n');
      const ok = code === 0 && !spawnError && !stopped;
      done({ ok, code, signal, stdout, tail, ...(spawnError ? { spawnError } : {}), ...stopped });
    };
    child.on('error', (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // Once stopped, the run ends when the whole group is gone ('close') or killed, not when `sh` is.
      setTimeout(() => stopped || finish(code, signal), CLOSE_AFTER_EXIT_MS).unref();
    });
  });
}

/** "exit 1", "killed by SIGTERM", "timed out after 1h" or why it did not start. */
export function describeExit(run: CommandRun): string {
  if (run.spawnError) return `could not start: ${run.spawnError}`;
  if (run.timedOutAfterMs !== undefined)
    return `timed out after ${formatSpan(run.timedOutAfterMs)}, stopped with everything it started`;
  if (run.aborted) return 'cancelled, stopped with everything it started';
  return run.signal ? `killed by ${run.signal}` : `exit ${run.code}`;
}
