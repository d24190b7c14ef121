/**
 * A user's shell command as a process group: output line by line, and a stop that reaches every process the
 * command started (a `sh -c` wrapper, npm and its node child), not only the shell.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ShellExit {
  code: number | null;
  signal: string | null;
  /** Set when the command could not be started at all (missing cwd, no shell). */
  error?: string;
}

export interface ShellProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<ShellExit>;
  /** The exit, once it happened. */
  readonly exit: ShellExit | undefined;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs: number): Promise<ShellExit>;
}

export interface StartShellOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each line, cut at MAX_LINE characters. */
  onLine?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** The output as it comes, uncut: for a log file, or output that is data (the SQL an engine prints). */
  onData?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

const MAX_LINE = 4000;
/** A command that leaves a background child holding stdout would never 'close'; 'exit' plus this is enough. */
const CLOSE_AFTER_EXIT_MS = 500;

/** Signals the whole process group; false when it is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function describeExit(exit: ShellExit): string {
  if (exit.error) return `could not start: ${exit.error}`;
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

export function startShell(command: string, options: StartShellOptions): ShellProcess {
  // detached: the command leads its own process group, so a stop reaches its children too.
  const child = spawn(command, {
    shell: true,
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exit: ShellExit | undefined;
  /** Every process holding the command's output is gone (the shell and what it started). */
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const exited = new Promise<ShellExit>((resolve) => {
    const finish = (value: ShellExit) => {
      exit ??= value;
      resolve(exit);
    };
    child.once('error', (error) => finish({ code: null, signal: null, error: error.message }));
    child.once('close', (code, signal) => finish({ code, signal }));
    child.once('exit', (code, signal) => {
      setTimeout(() => finish({ code, signal }), CLOSE_AFTER_EXIT_MS).unref();
    });
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const input = child[stream];
    const { onLine, onData } = options;
    if (!input) continue;
    if (onData) input.on('data', (chunk: Buffer) => onData(stream, chunk));
    else if (!onLine) input.resume(); // unread, a full pipe would stall the command
    if (onLine)
      createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
        onLine(stream, line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line),
      );
  }

  return {
    pid: child.pid,
    exited,
    get exit() {
      return exit;
    },
    async stop(graceMs) {
      const pid = child.pid;
      if (pid === undefined) return exited;
      signalGroup(pid, 'SIGTERM');
      // Wait for the whole group, not the shell alone: sh dies at once while the app it started still drains.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      signalGroup(pid, 'SIGKILL');
      return exited;
    },
  };
}
