import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { openStore, SQLITE_PATH } from './index.js';
import { openSqliteDriver } from './sqlite-driver.js';
import { describeStoreContract, sqliteContractTarget } from './store.contract.js';

const run = promisify(execFile);

describeStoreContract('sqlite', () => sqliteContractTarget());

describe('sqlite store', () => {
  it('lives in <cwd>/.opsbook/state.sqlite, created on first open', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-'));
    try {
      const store = await openStore({ cwd, env: { OPSBOOK_DATABASE_URL: '' } });
      await store.close();
      expect(store.backend).toBe('sqlite');
      expect(store.location).toBe(join(cwd, '.opsbook', 'state.sqlite'));
      expect(existsSync(store.location)).toBe(true);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  // The store `serve` opens, on its worker thread, answers with the same UserError.
  it.each([
    ['on the main thread', {}],
    ['on its worker thread', { sqlite: { thread: true } }],
  ] as const)('refuses a store whose schema is newer than this opsbook, %s', async (_, where) => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-'));
    try {
      await (await openStore({ cwd, env: {} })).close();
      const driver = openSqliteDriver(join(cwd, SQLITE_PATH));
      await driver.all(
        "INSERT INTO schema_migrations VALUES (999, 'from the future', '2031-01-01T00:00:00.000Z')",
      );
      driver.close();
      const error = await openStore({ cwd, env: {}, ...where }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('store/newer-schema');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('fills the per-service counts from the history of a store written before they existed', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-'));
    try {
      const at = Date.parse('2026-03-01T10:00:00Z');
      const samples = Array.from({ length: 300 }, (_, i) => ({
        monitorId: `production:svc${i % 3}:e${i % 7}`,
        environment: 'production',
        service: `svc${i % 3}`,
        at: at + i * 20_000,
        outcome: i % 11 === 0 ? ('down' as const) : ('up' as const),
        latencyMs: 5,
      }));
      const store = await openStore({ cwd, env: {} });
      await store.monitoring.recordSamples(samples);
      const window = [at - 3_600_000, at + 86_400_000] as const;
      const before = await store.monitoring.uptimeByService('production', ...window);
      await store.close();
      // As an opsbook before version 101 left it: the monitors' rollups, no service rollups.
      const driver = openSqliteDriver(join(cwd, SQLITE_PATH));
      await driver.all('DROP TABLE monitor_service_rollups');
      await driver.all('DELETE FROM schema_migrations WHERE version = 101');
      driver.close();
      const reopened = await openStore({ cwd, env: {} });
      try {
        const after = await reopened.monitoring.uptimeByService('production', ...window);
        expect([...after.keys()].sort()).toEqual(['svc0', 'svc1', 'svc2']);
        expect(after).toEqual(before);
        expect([...after.values()].reduce((n, u) => n + u.total, 0)).toBe(samples.length);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('several processes opening and writing at once: every write lands and one takes the lock', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-'));
    try {
      const child = new URL('../../test/support/store/race-child.ts', import.meta.url).pathname;
      const startAt = String(Date.now() + 2_500);
      const outputs = await Promise.all(
        ['p1', 'p2', 'p3'].map((label) =>
          run(process.execPath, ['--import', 'tsx', child, cwd, label, startAt, '30'], { timeout: 50_000 }),
        ),
      );
      const results = outputs.map((o) => JSON.parse(o.stdout) as { acquired: boolean; runId: string });
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
      const store = await openStore({ cwd, env: {} });
      try {
        for (const r of results) {
          const events = await store.listEvents(r.runId);
          expect(events).toHaveLength(30);
        }
        expect(await store.listRuns()).toHaveLength(3);
      } finally {
        await store.close();
      }
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the embedded store directory', () => {
  it('ignores itself in git, so the state is never committed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsbook-ignore-'));
    const store = await openStore({ cwd: dir, env: {} });
    await store.close();
    expect(await readFile(join(dir, '.opsbook', '.gitignore'), 'utf8')).toContain('*');
    await rm(dir, { recursive: true, force: true });
  });
});
