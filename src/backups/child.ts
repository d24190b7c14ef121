/** Spawning pg_dump/pg_restore: exit code and the tail of stderr (with the password stripped) as a value. */
import { type ChildProcess, spawn } from 'node:child_process';
import { printable } from '../output/index.js';
import { scrubConnection } from '../redact/index.js';

export interface ToolExit {
  code: number | null;
  /** Last few KB of stderr: enough for the reason, bounded for huge logs. */
  stderr: string;
}

export function spawnTool(
  path: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; url: string; stdin?: boolean; stdout?: boolean; signal?: AbortSignal },
): { child: ChildProcess; exit: Promise<ToolExit> } {
  const child = spawn(path, args, {
    env: options.env,
    stdio: [options.stdin ? 'pipe' : 'ignore', options.stdout ? 'pipe' : 'ignore', 'pipe'],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exit = new Promise<ToolExit>((resolve) => {
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    // pg_dump and pg_restore quote object names from the database in their messages: escapes shown as \xNN.
    child.on('close', (code) =>
      resolve({ code, stderr: printable(scrubConnection(stderr.trim(), options.url), { newlines: true }) }),
    );
  });
  return { child, exit };
}
