/** Runs an engine's shell command (apply, or print SQL) and keeps what a failure report needs: exit and output tail. */
import { spawn } from 'node:child_process';

export interface CommandRun {
  ok: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last lines of stdout and stderr together, for messages. */
  tail: string;
  /** Set when the command could not be started at all. */
  spawnError?: string;
}

const MAX_OUTPUT = 4 * 1024 * 1024;

export function runShell(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal; onLine?: (line: string) => void },
): Promise<CommandRun> {
  return new Promise((done) => {
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
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
    let spawnError: string | undefined;
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (code, signal) => {
      const tail = combined.trimEnd().split('\n').slice(-20).join('\n');
      done({ ok: code === 0 && !spawnError, code, signal, stdout, tail, spawnError });
    });
  });
}

/** "exit 1", "killed by SIGTERM" or why it did not start. */
export function describeExit(run: CommandRun): string {
  if (run.spawnError) return `could not start: ${run.spawnError}`;
  return run.signal ? `killed by ${run.signal}` : `exit ${run.code}`;
}
