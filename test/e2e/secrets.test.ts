import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaker, plantEveryRule } from '../../src/checks/secrets/test-support/fake-keys.js';
import { removeTree, writeTree } from '../../src/checks/secrets/test-support/tree.js';

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
