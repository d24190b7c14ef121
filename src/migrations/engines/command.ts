/** Runs an engine's shell command (apply, or print SQL) and keeps what a failure report needs: exit and output tail. */
import { startShell } from '../../shell/index.js';
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

/**
 * The command runs as its own process group (shell/process.ts), so a timeout or a cancel stops what `sh` started (npx,
 * the engine's node or python process) too: killing `sh` alone left them running with the pipes open.
 */
export async function runShell(command: string, options: RunShellOptions): Promise<CommandRun> {
  if (options.signal?.aborted)
    return { ok: false, code: null, signal: null, stdout: '', tail: '', aborted: true };
  let stdout = '';
  let combined = '';
  const proc = startShell(command, {
    cwd: options.cwd,
    env: options.env,
    // Raw chunks: stdout may be SQL to lint, whose lines can be longer than startShell's line limit.
    onData: (stream, chunk) => {
      const text = chunk.toString();
      if (stream === 'stdout' && stdout.length < MAX_OUTPUT) stdout += text;
      combined = (combined + text).slice(-64 * 1024);
      for (const line of text.split('\n')) if (line.trim()) options.onLine?.(line);
    },
  });
  let stopped: Pick<CommandRun, 'timedOutAfterMs' | 'aborted'> | undefined;
  let stopping: Promise<unknown> | undefined;
  const stop = (why: NonNullable<typeof stopped>) => {
    stopped ??= why;
    stopping ??= proc.stop(options.killGraceMs ?? 10_000);
  };
  const onAbort = () => stop({ aborted: true });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const limit = options.timeoutMs;
  const timer = limit && limit > 0 ? setTimeout(() => stop({ timedOutAfterMs: limit }), limit) : undefined;
  const exit = await proc.exited;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  // Once stopped, the run ends when the whole group is gone, not when `sh` is.
  await stopping;
  const tail = combined.trimEnd().split('\n').slice(-20).join('\n');
  return {
    ok: exit.code === 0 && !exit.error && !stopped,
    code: exit.code,
    signal: exit.signal as NodeJS.Signals | null,
    stdout,
    tail,
    ...(exit.error ? { spawnError: exit.error } : {}),
    ...stopped,
  };
}

/** "exit 1", "killed by SIGTERM", "timed out after 1h" or why it did not start. */
export function describeExit(run: CommandRun): string {
  if (run.spawnError) return `could not start: ${run.spawnError}`;
  if (run.timedOutAfterMs !== undefined)
    return `timed out after ${formatSpan(run.timedOutAfterMs)}, stopped with everything it started`;
  if (run.aborted) return 'cancelled, stopped with everything it started';
  return run.signal ? `killed by ${run.signal}` : `exit ${run.code}`;
}
