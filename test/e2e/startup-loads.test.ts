import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const hook = join(root, 'test', 'support', 'startup', 'record-loads.mjs');
// The CLI is bundled (scripts/bundle.mjs): which dist/ modules each bundle output holds.
const bundleOutputs = join(root, '.build', 'bundle-outputs.json');

/** What start-up must not pay for in commands that never deploy, probe, notify or reach a database. */
const HEAVY = [
  /\/node_modules\/(pg|pg-[a-z]+|nodemailer|undici|hono|@aws-sdk|node-sqlite3-wasm)\//,
  /\/dist\/(providers|probes|notify|deploy\/run-deploy|health)\//,
];

describe('start-up of commands that need no driver', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-loads-'));
    cpSync(join(root, 'examples', 'demo'), dir, {
      recursive: true,
      filter: (p) => !/\.data|\.opsbook|\.test\.ts$/.test(p),
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const loadedBy = (args: string[], name: string): string[] => {
    const record = join(dir, `loads-${name}.txt`);
    const run = spawnSync(process.execPath, ['--import', hook, cli, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OPSBOOK_RECORD_LOADS: record, OPSBOOK_NO_CACHE: '1' },
    });
    expect(run.stderr).not.toContain('hit a bug');
    const outputs = JSON.parse(readFileSync(bundleOutputs, 'utf8')) as Record<string, string[]>;
    // A loaded bundle output stands for the modules it holds; anything else (node_modules) is itself.
    return readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((url) => {
        const inDist = url.match(/\/dist\/(.+)$/)?.[1];
        const held = inDist ? outputs[inDist] : undefined;
        return held ? held.map((module) => `file://${root}${module}`) : [url];
      });
  };

  it.each([
    ['validate', ['validate'], 'commands/validate.js'],
    ['status', ['status', '--offline'], 'app/status.js'],
    ['lint', ['migrate', 'lint', 'migrations/001_create_notes.sql'], 'migrations/lint/engine.js'],
  ])('%s loads no database driver, provider, probe or notifier', (name, args, own) => {
    const loaded = loadedBy(args, name);
    // The recording saw the command itself: an empty list would pass vacuously.
    expect(loaded.some((url) => url.endsWith(`/dist/${own}`))).toBe(true);
    expect(loaded.filter((url) => HEAVY.some((re) => re.test(url)))).toEqual([]);
  });

  it('deploy loads pg and nodemailer only when a check or a channel uses them (the demo has neither)', () => {
    const loaded = loadedBy(['deploy', '--dry-run'], 'deploy');
    expect(loaded.some((url) => url.endsWith('/dist/app/deploy.js'))).toBe(true);
    expect(loaded.filter((url) => /\/node_modules\/(pg|pg-[a-z]+|nodemailer)\//.test(url))).toEqual([]);
  });
});
