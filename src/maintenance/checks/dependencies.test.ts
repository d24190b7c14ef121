import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/demo-stack.js';
import { type NpmRegistry, startNpmRegistry } from '../../../test/support/npm-registry.js';
import { stackSchema } from '../../config/schema.js';
import type { MaintenanceTask } from '../types.js';
import { dependenciesCheck } from './dependencies.js';

const config = stackSchema.parse({
  name: 'demo',
  services: { api: { kind: 'web' } },
  maintenance: [{ id: 'deps', title: 'Dependencies', every: 'weekly', check: 'dependencies' }],
});
const task = config.maintenance[0] as MaintenanceTask;

describe('the dependencies check', () => {
  let registry: NpmRegistry;
  let dir: string;
  beforeAll(async () => {
    registry = await startNpmRegistry({
      'node-sqlite3-wasm': {
        versions: ['0.8.50', '0.8.60', '0.9.1'],
        advisories: [
          { id: 1, title: 'Heap overflow in prepared statements', severity: 'high', range: '<0.9.0' },
        ],
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'opsbook-deps-'));
    for (const f of ['package.json', 'package-lock.json'])
      cpSync(join(repoRoot, 'examples/demo', f), join(dir, f));
  });
  afterAll(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // npm reads npm_config_* from the environment; a home of our own keeps the user's .npmrc out.
  const env = (registryUrl: string) => ({
    PATH: process.env.PATH,
    HOME: dir,
    npm_config_registry: registryUrl,
    npm_config_cache: join(dir, '.npm-cache'),
    npm_config_fetch_retries: '0',
  });

  it('reports advisories and outdated packages from the registry npm is pointed at', async () => {
    const evidence = await dependenciesCheck({
      task,
      config,
      cwd: dir,
      env: env(registry.url),
      now: new Date(),
    });
    expect(registry.auditQueries).toEqual([{ 'node-sqlite3-wasm': ['0.8.60'] }]);
    expect(evidence.ok).toBe(false);
    expect(evidence.summary).toBe('1 folder(s) audited, 1 warning(s)');
    expect(evidence.findings.map((f) => f.message)).toEqual([
      '.: 1 known vulnerability (1 high): node-sqlite3-wasm: Heap overflow in prepared statements (high). Fix: npm audit fix',
      '.: 1 outdated: node-sqlite3-wasm not installed → 0.9.1',
    ]);
    expect(evidence.data).toMatchObject([{ manager: 'npm', vulnerabilities: { high: 1, total: 1 } }]);
  });

  it('never passes when the registry cannot be reached or nothing was audited', async () => {
    const closed = await startNpmRegistry({});
    await closed.close();
    const evidence = await dependenciesCheck({
      task,
      config,
      cwd: dir,
      env: env(closed.url),
      now: new Date(),
    });
    expect(evidence.ok).toBe(false);
    expect(evidence.summary).toMatch(/^could not audit 1 of 1 folder/);
    expect(evidence.findings[0]?.message).toMatch(/^\.: npm audit gave no result/);

    const empty = mkdtempSync(join(tmpdir(), 'opsbook-deps-empty-'));
    writeFileSync(join(empty, 'requirements.txt'), 'flask==2.0.0\n');
    writeFileSync(join(empty, 'yarn.lock'), '');
    // Neither yarn nor pip-audit on this PATH: each folder says it was not audited.
    const none = await dependenciesCheck({
      task,
      config,
      cwd: empty,
      env: { PATH: '/nonexistent' },
      now: new Date(),
    });
    rmSync(empty, { recursive: true, force: true });
    expect(none.ok).toBe(false);
    expect(none.findings.map((f) => f.message)).toEqual([
      '.: yarn is not installed: nothing was audited',
      '.: requirements.txt is not audited: pip-audit is not installed (pipx install pip-audit)',
    ]);
  });
});
