// A deploy whose engine migration command fails: a failed run (exit 1) with the command's output, not a crash (70);
// and one stopped by a signal while the command runs, which stops the command's whole process group.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';
import { waitForValue } from '../support/wait-for.js';

const cli = join(repoRoot, 'dist', 'main.js');
let dir = '';

function opsbook(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('opsbook deploy with a failing engine migration command', () => {
  beforeAll(async () => {
    ({ dir } = await createDemoStack((y) =>
      y
        .replace(
          '  engine: sql\n',
          `  engine: prisma\n  command: "echo 'Applying migration 20240101_init'; echo 'Error: P3018 A migration failed to apply' >&2; exit 3"\n`,
        )
        // Only opsbook's own runner sets lock_timeout: with an engine, validate refuses it.
        .replace('  lockTimeout: 5s\n', ''),
    ));
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the run with exit 1 and the output tail, and leaves the environment unlocked per policy', () => {
    const first = opsbook(['deploy', '--yes', '--skip-gates', '--version', 'v1']);
    expect(first.code, first.output).toBe(1);
    expect(first.output).toContain('Error: P3018 A migration failed to apply');
    expect(first.output).toMatch(/migrations failed: `echo .*` failed \(exit 3\)/);
    // Not locked (exit 4): the migration step failed before anything was deployed.
    const again = opsbook(['deploy', '--yes', '--skip-gates', '--version', 'v1']);
    expect(again.code, again.output).toBe(1);
  });
});

describe('opsbook deploy stopped (a CI job cancelled) while the engine migration command runs', () => {
  let stopDir = '';
  beforeAll(async () => {
    ({ dir: stopDir } = await createDemoStack((y) =>
      y
        .replace(
          '  engine: sql\n',
          // The engine's own process, started by the command's shell, as `npx prisma migrate deploy` starts node.
          '  engine: prisma\n  command: "sleep 60 & echo $! > engine.pid; wait"\n',
        )
        .replace('  lockTimeout: 5s\n', ''),
    ));
  }, 60_000);
  afterAll(() => {
    rmSync(stopDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)(
    'on %s stops the command and what it started, and exits 130',
    async (signal) => {
      rmSync(join(stopDir, 'engine.pid'), { force: true });
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' };
      delete env.DATABASE_URL;
      const child = spawn(process.execPath, [cli, 'deploy', '--yes', '--skip-gates', '--version', 'v1'], {
        cwd: stopDir,
        env,
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const pid = await waitForValue('the engine process', async () => {
        const text = existsSync(join(stopDir, 'engine.pid'))
          ? readFileSync(join(stopDir, 'engine.pid'), 'utf8')
          : '';
        return text.trim() ? Number(text) : undefined;
      });
      child.kill(signal);
      expect(await exited, output).toBe(130);
      // Gone, or a zombie left for init to reap: not running on after opsbook.
      await waitForValue('the engine process to stop', async () => {
        const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
        return /^\d+ \(.*\) [RSD]/.test(stat) ? undefined : true;
      });
      expect(output).toContain('interrupted');
      // Interrupted as at any other step: the lock stays for --resume, or for unlock as here.
      const unlock = spawnSync(process.execPath, [cli, 'unlock'], { cwd: stopDir, encoding: 'utf8', env });
      expect(unlock.status, unlock.stderr).toBe(0);
      expect(`${unlock.stdout}${unlock.stderr}`).toContain('unlocked production (was: deploy ');
    },
  );
});
