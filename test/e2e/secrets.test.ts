import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaker, plantEveryRule } from '../support/checks/secrets/fake-keys.js';
import { removeTree, writeTree } from '../support/checks/secrets/tree.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = join(root, 'dist', 'checks', 'secrets', 'index.js');

describe('the built secret scanner', () => {
  const plants = plantEveryRule(createFaker());
  let dir: string;
  beforeAll(() => {
    if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    dir = writeTree(Object.fromEntries(plants.map((p) => [p.file, p.content])));
  });
  afterAll(() => removeTree(dir));

  it('runs its worker threads from dist/ under plain node', () => {
    // A separate node process without tsx: the pool must load dist/.../worker.js, not the .ts source.
    const script = `const { scanSecrets } = await import(${JSON.stringify(pathToFileURL(built).href)});
const r = await scanSecrets({ cwd: ${JSON.stringify(dir)}, workers: 2 });
process.stdout.write(JSON.stringify({ workers: r.workers, rules: r.findings.map((f) => f.ruleId).sort() }));`;
    const runner = writeTree({ 'run.mjs': script });
    const run = spawnSync(process.execPath, [join(runner, 'run.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    removeTree(runner);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ workers: 2, rules: plants.map((p) => p.rule).sort() });
  });
});

describe('secrets scan on a hostile tree', () => {
  const cli = join(root, 'dist', 'main.js');
  const faker = createFaker(9);
  const key = () => `${'ghp_'}${faker.b62(36)}`;

  it.each([
    ['a git repository', true],
    ['a plain folder', false],
  ])('never opens FIFOs or follows symlinks out of the folder, in %s', (_, repo) => {
    const outside = writeTree({ 'elsewhere.env': `GH=${key()}\n` });
    const dir = writeTree({ 'app.env': `GH=${key()}\n` });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    symlinkSync(join(dir, 'pipe'), join(dir, 'link-to-pipe'));
    symlinkSync(join(outside, 'elsewhere.env'), join(dir, 'outside.env'));
    if (repo) execFileSync('git', ['init', '-q'], { cwd: dir });
    // Before the fix the scan blocked forever on the FIFO; the timeout turns a hang into a failure.
    const r = spawnSync(process.execPath, [cli, 'secrets', 'scan', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    removeTree(dir);
    removeTree(outside);
    expect(r.signal).toBeNull();
    const data = JSON.parse(r.stdout).data as {
      findings: { file: string }[];
      skipped: { file: string; reason: string }[];
    };
    expect(data.findings.map((f) => f.file)).toEqual(['app.env']);
    // git lists symlinks, and they are refused; the plain walk never lists them.
    if (repo) expect(data.skipped).toContainEqual({ file: 'outside.env', reason: 'outside-root' });
    else expect(data.skipped).toEqual([]);
  });
});
