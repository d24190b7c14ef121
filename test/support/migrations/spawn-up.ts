// Runs `migrateUp` in another Node process (another connection pool, another lock session), for concurrency tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const runner = fileURLToPath(new URL('./run-up.ts', import.meta.url));

export interface SpawnedUp {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export function spawnUp(options: object): SpawnedUp {
  const child = spawn(process.execPath, ['--import', 'tsx', runner, JSON.stringify(options)], {
    cwd: repoRoot,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}
