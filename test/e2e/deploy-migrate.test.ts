// A deploy whose engine migration command fails: a failed run (exit 1) with the command's output, not a crash (70).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';

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
      y.replace(
        '  engine: sql\n',
        `  engine: prisma\n  command: "echo 'Applying migration 20240101_init'; echo 'Error: P3018 A migration failed to apply' >&2; exit 3"\n`,
      ),
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
