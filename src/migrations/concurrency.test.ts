import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
if (!available) markPgSkipped(`migration concurrency tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('migrate up across processes', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;

  beforeEach(async () => {
    db = await createScratchDb('opsbook_conc');
  });
  afterEach(async () => {
    await db.drop();
    await folder.remove();
  });

  it('applies each file exactly once when five processes run at the same time', {
    timeout: 120_000,
  }, async () => {
    folder = await writeMigrations({
      '001_log.sql':
        'CREATE TABLE log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL);\n',
      '002_slow.sql': "INSERT INTO log (what) VALUES ('002');\nSELECT pg_sleep(0.5);\n",
      '003_index.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS log_what_idx ON log (what);\n',
      '004_more.sql': "INSERT INTO log (what) VALUES ('004');\n",
    });
    const options = { cwd: folder.dir, dir: '.', databaseUrl: db.url, advisoryLockTimeoutMs: 90_000 };
    const runs = await Promise.all(Array.from({ length: 5 }, () => spawnUp(options).done));

    for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
    const applied = runs.flatMap((r) =>
      (JSON.parse(r.stdout) as { applied: { version: string }[] }).applied.map((a) => a.version),
    );
    expect(applied.sort()).toEqual(['001', '002', '003', '004']);
    expect(await db.query('SELECT what FROM log ORDER BY id')).toEqual([{ what: '002' }, { what: '004' }]);
    expect(await db.query('SELECT count(*)::int AS n FROM opsbook_migrations.history')).toEqual([{ n: 4 }]);
    expect(
      await db.query("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'log_what_idx'::regclass"),
    ).toEqual([{ valid: true }]);
  });

  it('resumes a statement-by-statement file at the statement where the killed process stopped', {
    timeout: 120_000,
  }, async () => {
    folder = await writeMigrations({
      '001_tables.sql': `CREATE TABLE log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL);
CREATE TABLE items (id bigint, note text);
CREATE TABLE other (id bigint, note text);
INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 1000) g;
`,
    });
    const base = { cwd: folder.dir, dir: '.', databaseUrl: db.url };
    expect((await migrateUp(base)).ok).toBe(true);
    await folder.write(
      '002_indexes.sql',
      `INSERT INTO log (what) VALUES ('step 1');
CREATE INDEX CONCURRENTLY items_id_idx ON items (id);
CREATE INDEX CONCURRENTLY other_note_idx ON other (note);
INSERT INTO log (what) VALUES ('step 4');
`,
    );
    // An open writer on `other` makes its concurrent build wait after it has created the (still invalid) index.
    const writer = await db.session();
    await writer.query('BEGIN');
    await writer.query("INSERT INTO other VALUES (1, 'x')");

    const { child, done } = spawnUp({ ...base, lockTimeoutMs: 60_000 });
    await waitFor('the third statement to block', async () => {
      const rows = await db.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY other_note_idx%' AND wait_event_type = 'Lock'",
      );
      return rows.length > 0;
    });
    child.kill('SIGKILL');
    await done;
    // The server notices a dead client only when it next talks to it; end its sessions as a crash would eventually.
    await db.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'opsbook-migrate%'",
    );
    await writer.query('ROLLBACK');

    expect(
      await db.query(
        "SELECT statements_applied, finished_at FROM opsbook_migrations.history WHERE version = '002'",
      ),
    ).toEqual([{ statements_applied: 2, finished_at: null }]);
    expect(
      await db.query(
        "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'other_note_idx'::regclass",
      ),
    ).toEqual([{ valid: false }]);

    const resumed = await migrateUp(base);
    expect(resumed.ok).toBe(true);
    expect(resumed.applied).toMatchObject([{ version: '002', status: 'applied', resumedFrom: 2 }]);
    expect(await db.query('SELECT what FROM log ORDER BY id')).toEqual([
      { what: 'step 1' },
      { what: 'step 4' },
    ]);
    expect(
      await db.query(
        "SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('items_id_idx', 'other_note_idx') ORDER BY 1",
      ),
    ).toEqual([
      { name: 'items_id_idx', valid: true },
      { name: 'other_note_idx', valid: true },
    ]);
    expect(
      await db.query(
        "SELECT statements_applied, finished_at IS NOT NULL AS finished FROM opsbook_migrations.history WHERE version = '002'",
      ),
    ).toEqual([{ statements_applied: 4, finished: true }]);
  });
});
