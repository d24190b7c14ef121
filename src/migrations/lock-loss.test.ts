import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlackholeProxy, startBlackholeProxy } from '../../test/support/migrations/blackhole-proxy.js';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { spawnUp } from '../../test/support/migrations/spawn-up.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { waitFor } from '../../test/support/wait-for.js';
import { migrateUp } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migration lock-loss tests: no PostgreSQL at ${pgUrl()}`);

/** A statement-by-statement file that waits at its second statement until the test opens the gate. */
const SLOW_FILE = `-- opsbook:no-transaction
INSERT INTO marks VALUES (1);
DO $$ BEGIN WHILE NOT EXISTS (SELECT 1 FROM gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END $$;
INSERT INTO marks VALUES (2);
SELECT pg_sleep(0.2);
INSERT INTO marks VALUES (3);
INSERT INTO marks VALUES (4);
`;

describe.skipIf(!available)('the migration lock cannot be lost silently', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  let proxy: BlackholeProxy | undefined;

  beforeEach(async () => {
    db = await createScratchDb('opsbook_lock');
    // Made here, not by a migration, so the test can watch it from the start.
    await db.query('CREATE TABLE marks (step int NOT NULL); CREATE TABLE gate (open boolean)');
    folder = await writeMigrations({
      '001_notes.sql': 'CREATE TABLE notes (id bigint);\n',
      '002_slow.sql': SLOW_FILE,
    });
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await db.drop();
    await folder.remove();
  });

  it('stops when a DBA kills the lock session mid-file, and the runner that takes over applies each statement once', {
    timeout: 120_000,
  }, async () => {
    const options = { cwd: folder.dir, dir: '.', databaseUrl: db.url, advisoryLockTimeoutMs: 30_000 };
    const first = migrateUp(options);
    await waitFor('the first insert', async () => (await db.query('SELECT 1 FROM marks')).length > 0);
    const second = spawnUp(options);
    await waitFor('the second runner to wait for the lock', async () => {
      const rows = await db.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'opsbook-migrate:lock'",
      );
      return rows.length === 2;
    });
    // What an idle-session killer does to the quiet lock connection.
    await db.query(`SELECT pg_terminate_backend(l.pid) FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`);

    const a = await first;
    await db.query('INSERT INTO gate VALUES (true)');
    expect(a.ok).toBe(false);
    const lost = a.diagnostics.find((d) => d.code === 'migration/lock-lost');
    expect(lost?.message).toMatch(/the migration lock was lost/);
    expect(lost?.message).toContain('002_slow.sql runs statement by statement');
    expect(lost?.hint).toMatch(/migrate up' again to resume/);

    const b = await second.done;
    expect(b.code, b.stderr + b.stdout).toBe(0);
    expect(await db.query('SELECT step, count(*)::int AS n FROM marks GROUP BY step ORDER BY step')).toEqual([
      { step: 1, n: 1 },
      { step: 2, n: 1 },
      { step: 3, n: 1 },
      { step: 4, n: 1 },
    ]);
    expect(
      await db.query(
        "SELECT statements_applied, finished_at IS NOT NULL AS finished FROM opsbook_migrations.history WHERE version = '002'",
      ),
    ).toEqual([{ statements_applied: 6, finished: true }]);
  });

  it('ends migrate up with a clear error when the network stops forwarding mid-run', {
    timeout: 60_000,
  }, async () => {
    proxy = await startBlackholeProxy(db.url);
    const run = migrateUp({ cwd: folder.dir, dir: '.', databaseUrl: proxy.url, statementTimeoutMs: 3_000 });
    await waitFor('the first insert', async () => (await db.query('SELECT 1 FROM marks')).length > 0);
    proxy.blackhole();
    await db.query('INSERT INTO gate VALUES (true)');
    const result = await run;
    expect(result.ok).toBe(false);
    const stopped = result.diagnostics.find((d) => /lock-lost|connection-lost/.test(d.code));
    expect(stopped?.message).toMatch(/^stopped: the (migration lock|database connection) was lost/);
    expect(stopped?.message).toContain('applied before it stopped: 001_notes.sql');
    expect(stopped?.location?.file).toBe('002_slow.sql');
  });

  it('reports a connection dropped mid-file with what was applied, and the next run resumes there', {
    timeout: 60_000,
  }, async () => {
    const options = { cwd: folder.dir, dir: '.', databaseUrl: db.url };
    const run = migrateUp(options);
    await waitFor('the first insert', async () => (await db.query('SELECT 1 FROM marks')).length > 0);
    await db.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'opsbook-migrate:run'",
    );
    await db.query('INSERT INTO gate VALUES (true)');
    const result = await run;
    expect(result.ok).toBe(false);
    const lost = result.diagnostics.find((d) => d.code === 'migration/connection-lost');
    expect(lost?.message).toMatch(/^stopped: the database connection was lost \(terminating connection/);
    expect(lost?.message).toContain('applied before it stopped: 001_notes.sql');
    expect(lost?.message).toContain(
      '002_slow.sql runs statement by statement: 1 statement(s) of it are recorded',
    );
    const again = await migrateUp(options);
    expect(again.ok).toBe(true);
    expect(again.applied).toMatchObject([{ version: '002', resumedFrom: 1 }]);
    expect(await db.query('SELECT step, count(*)::int AS n FROM marks GROUP BY step ORDER BY step')).toEqual(
      [1, 2, 3, 4].map((step) => ({ step, n: 1 })),
    );
  });
});
