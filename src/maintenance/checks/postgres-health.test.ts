import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb } from '../../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../../test/support/pg.js';
import { stackSchema } from '../../config/schema.js';
import { openStore, type Store } from '../../store/index.js';
import { maintenanceDue, runTask } from '../operations.js';
import { healthFindings } from './postgres-health.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`postgres-health tests: no PostgreSQL at ${pgUrl()}`);

const config = stackSchema.parse({
  name: 'shop',
  services: { db: { kind: 'database' } },
  maintenance: [
    {
      id: 'db-health',
      title: 'Database health',
      every: 'monthly',
      check: 'postgres-health',
      urlEnv: 'APP_DB',
    },
  ],
});

describe('postgres-health findings', () => {
  it('shows escape sequences in table names and queries from the database as \\xNN', () => {
    const evil = 'public.t\x1b]0;owned\x07';
    const findings = healthFindings({
      database: 'app',
      serverVersion: '16.4',
      sizeBytes: 1,
      connections: { used: 1, max: 100 },
      tables: [{ table: evil, liveTuples: 5000, deadTuples: 0, lastVacuum: null, lastAnalyze: null }],
      unusedIndexes: [{ index: `${evil}_idx`, table: evil, bytes: 1 }],
      duplicateIndexes: [[`${evil}_a`, `${evil}_b`]],
      topQueries: [{ query: 'SELECT 1 -- \x1b[2J', calls: 1, totalMs: 1, meanMs: 1 }],
    });
    const text = findings.map((f) => f.message).join('\n');
    expect(text.includes('\x1b') || text.includes('\x07')).toBe(false);
    expect(text).toContain('public.t\\x1b]0;owned\\x07: 5000 rows never analyzed');
    expect(text).toContain('SELECT 1 -- \\x1b[2J');
  });
});

describe.skipIf(!available)('the postgres-health check on the real PostgreSQL', () => {
  let db: ScratchDb;
  let cwd: string;
  let store: Store;
  beforeAll(async () => {
    db = await createScratchDb('opsbook_health');
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-health-'));
    store = await openStore({ cwd, env: {} });
    // Autovacuum off so the dead tuples stay for the check to see.
    await db.query(
      'CREATE TABLE orders (id bigint PRIMARY KEY, note text) WITH (autovacuum_enabled = false)',
    );
    await db.query("INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 5000) g");
    await db.query('DELETE FROM orders WHERE id > 1000');
    await db.query('CREATE INDEX orders_note ON orders (note)');
    await db.query('CREATE INDEX orders_note_again ON orders (note)');
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
    await rm(cwd, { recursive: true, force: true });
  });

  const ctx = (now: Date) => ({ cwd, config, env: { APP_DB: db.url }, store, actor: 'ann', now: () => now });

  it('finds dead tuples, duplicate and unused indexes, connections and size, stores it, and measures growth', async () => {
    // Table statistics reach pg_stat_user_tables when the writing session reports them: wait for them.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [row] = await db.query<{ dead: string }>(
        "SELECT n_dead_tup AS dead FROM pg_stat_user_tables WHERE relname = 'orders'",
      );
      if (Number(row?.dead) >= 4000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const first = await runTask(ctx(new Date('2026-12-01T00:00:00Z')), 'db-health');
    const messages = first.evidence?.findings.map((f) => f.message) ?? [];
    expect(first).toMatchObject({ task: 'db-health', via: 'check', ok: false, by: 'ann' });
    expect(messages[0]).toMatch(new RegExp(`^database ${db.name} is [\\d.]+ MB \\(PostgreSQL 1\\d`));
    expect(messages).toContainEqual(
      expect.stringMatching(/^public\.orders: 4000 dead tuples \(80%\), last vacuum never/),
    );
    expect(messages).toContain('duplicate indexes: orders_note, orders_note_again: drop all but one');
    expect(messages).toContainEqual(
      expect.stringMatching(/^index public\.orders_note on public\.orders .* has not been used/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/^pg_stat_statements is not installed/));
    expect(first.evidence?.data).toMatchObject({
      database: db.name,
      connections: { used: expect.any(Number), max: expect.any(Number) },
      tables: [{ table: 'public.orders', liveTuples: 1000, deadTuples: 4000, lastVacuum: null }],
    });
    // A failed check leaves the task due; after VACUUM ANALYZE and one index less, it passes and reports growth.
    expect((await maintenanceDue(ctx(new Date('2026-12-02T00:00:00Z')))).map((t) => t.id)).toEqual([
      'db-health',
    ]);
    await db.query('DROP INDEX orders_note_again');
    await db.query('VACUUM ANALYZE orders');
    await db.query("INSERT INTO orders SELECT g, repeat('x', 500) FROM generate_series(5001, 9000) g");
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const [row] = await db.query<{ dead: string; live: string }>(
        "SELECT n_dead_tup AS dead, n_live_tup AS live FROM pg_stat_user_tables WHERE relname = 'orders'",
      );
      if (Number(row?.dead) === 0 && Number(row?.live) === 5000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const second = await runTask(ctx(new Date('2026-12-03T00:00:00Z')), 'db-health');
    expect(second.evidence?.findings.filter((f) => f.severity === 'warning')).toEqual([]);
    expect(second.ok).toBe(true);
    expect(second.evidence?.findings[1]?.message).toMatch(
      /^grew [\d.]+ MB since 2026-12-01 \([\d.]+ MB\/day\)$/,
    );
    expect(await maintenanceDue(ctx(new Date('2026-12-04T00:00:00Z')))).toEqual([]);
  });

  it('does not pass a database without a single table: it is the wrong database, not a healthy one', async () => {
    const empty = await createScratchDb('opsbook_health_empty');
    try {
      const result = await runTask({ ...ctx(new Date()), env: { APP_DB: empty.url } }, 'db-health');
      expect(result.ok).toBe(false);
      expect(result.evidence?.summary).toBe(
        `cannot tell: database ${empty.name} has no tables, so there is nothing to check: check that APP_DB points at the application's database`,
      );
    } finally {
      await empty.drop();
    }
  });

  it('says it could not decide when the database does not answer', async () => {
    const c = { ...ctx(new Date()), env: { APP_DB: 'postgres://postgres@127.0.0.1:1/none' } };
    const result = await runTask(c, 'db-health');
    expect(result.ok).toBe(false);
    expect(result.evidence?.summary).toMatch(/^the check could not run: /);
  });
});
