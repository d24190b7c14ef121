import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import {
  baselineHistory,
  lintMigrationFiles,
  migrateUp,
  migrationStatus,
  planMigrations,
  repairHistory,
  verifyMigrations,
} from './index.js';
import { acquireMigrationLock } from './lock.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migration runner tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('migration runner against PostgreSQL', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  const opts = () => ({ cwd: folder.dir, dir: '.', databaseUrl: db.url, lockTimeoutMs: 300, lockRetries: 2 });

  beforeEach(async () => {
    db = await createScratchDb();
    folder = await writeMigrations({
      '001_users.sql':
        'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n',
      '002_seed.sql': "INSERT INTO users (email) VALUES ('a@example.com');\n",
    });
  });
  afterEach(async () => {
    await db.drop();
    await folder.remove();
  });

  it('applies pending files once and records them; a second run finds nothing to do', async () => {
    const first = await migrateUp(opts());
    expect(first.ok).toBe(true);
    expect(first.applied.map((a) => a.version)).toEqual(['001', '002']);
    const second = await migrateUp(opts());
    expect(second.applied).toEqual([]);
    expect(await db.query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 1 }]);
    const rows = await db.query<{ version: string; statements_applied: number; finished_at: Date | null }>(
      'SELECT version, statements_applied, finished_at FROM opsbook_migrations.history ORDER BY version',
    );
    expect(rows.map((r) => [r.version, r.statements_applied, r.finished_at !== null])).toEqual([
      ['001', 1, true],
      ['002', 1, true],
    ]);
    expect((await verifyMigrations(opts())).ok).toBe(true);
  });

  it('refuses an edited file with a checksum diagnostic, and repair accepts the edit', async () => {
    await migrateUp(opts());
    await folder.write('002_seed.sql', "INSERT INTO users (email) VALUES ('b@example.com');\n");
    await folder.write('003_more.sql', 'ALTER TABLE users ADD COLUMN note text;\n');
    const refused = await migrateUp(opts());
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => [d.code, d.location?.file])).toContainEqual([
      'migration/checksum-mismatch',
      '002_seed.sql',
    ]);
    // Nothing after the edited file ran.
    expect(
      await db.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'note'",
      ),
    ).toEqual([]);
    const repaired = await repairHistory({ ...opts(), reason: 'reworded seed' });
    expect(repaired.changes.map((c) => [c.action, c.version])).toEqual([['update-checksum', '002']]);
    expect((await migrateUp(opts())).applied.map((a) => a.version)).toEqual(['003']);
    const events = await db.query<{ type: string; message: string }>(
      'SELECT type, message FROM opsbook_migrations.events ORDER BY id',
    );
    expect(events.some((e) => e.type === 'repair' && e.message.includes('reworded seed'))).toBe(true);
  });

  it('treats CRLF line endings as the same file', async () => {
    await migrateUp(opts());
    await folder.write(
      '001_users.sql',
      'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\r\n',
    );
    expect((await migrationStatus(opts())).diagnostics).toEqual([]);
  });

  it('refuses missing and out-of-order files until allowed or repaired', async () => {
    await migrateUp(opts());
    await folder.write('010_later.sql', 'SELECT 1;\n');
    await migrateUp(opts());
    await folder.write('005_between.sql', 'CREATE TABLE between_t (id bigint);\n');
    const outOfOrder = await migrateUp(opts());
    expect(outOfOrder.diagnostics.map((d) => d.code)).toEqual(['migration/out-of-order']);
    expect((await migrateUp({ ...opts(), allowOutOfOrder: true })).applied.map((a) => a.version)).toEqual([
      '005',
    ]);

    await (await import('node:fs/promises')).rm(`${folder.dir}/010_later.sql`);
    const missing = await migrateUp(opts());
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics.map((d) => d.code)).toEqual(['migration/missing-file']);
    expect((await repairHistory(opts())).changes.map((c) => c.action)).toEqual(['forget']);
    expect((await migrationStatus(opts())).ok).toBe(true);
  });

  it('runs CREATE INDEX CONCURRENTLY outside a transaction and records each statement', async () => {
    await folder.write(
      '003_index.sql',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);\nALTER TABLE users ADD COLUMN note text;\n',
    );
    const plan = await planMigrations(opts());
    expect(plan.pending.find((p) => p.version === '003')?.transactional).toBe(false);
    expect((await migrateUp(opts())).ok).toBe(true);
    expect(
      await db.query(
        "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass",
      ),
    ).toEqual([{ valid: true }]);
    expect(
      await db.query(
        "SELECT transactional, statements_applied FROM opsbook_migrations.history WHERE version = '003'",
      ),
    ).toEqual([{ transactional: false, statements_applied: 2 }]);
  });

  it('keeps the applied statements of a failed statement-by-statement file and resumes it once the failing one is fixed', async () => {
    await migrateUp(opts());
    const broken =
      "INSERT INTO users (email) VALUES ('once');\nCREATE INDEX CONCURRENTLY users_x_idx ON users (no_such_column);\n";
    await folder.write('003_index.sql', broken);
    const failed = await migrateUp(opts());
    expect(failed.ok).toBe(false);
    expect(failed.diagnostics.find((d) => d.code === 'migration/statement-failed')?.location).toMatchObject({
      line: 2,
    });
    expect((await verifyMigrations(opts())).diagnostics.map((d) => d.code)).toContain(
      'migration/partially-applied',
    );

    await folder.write('003_index.sql', broken.replace('no_such_column', 'email'));
    const resumed = await migrateUp(opts());
    expect(resumed.applied).toMatchObject([{ version: '003', status: 'applied', resumedFrom: 1 }]);
    expect(resumed.diagnostics.map((d) => d.code)).toContain('migration/resuming-edited-file');
    expect(await db.query("SELECT count(*)::int AS n FROM users WHERE email = 'once'")).toEqual([{ n: 1 }]);
  });

  it('resumes a file whose first statement failed after that statement is fixed', async () => {
    await migrateUp(opts());
    await folder.write('003_index.sql', 'CREATE INDEX CONCURRENTLY users_x_idx ON users (nope);\n');
    expect((await migrateUp(opts())).ok).toBe(false);
    await folder.write('003_index.sql', 'CREATE INDEX CONCURRENTLY users_x_idx ON users (email);\n');
    expect((await migrateUp(opts())).applied).toMatchObject([{ version: '003', status: 'applied' }]);
  });

  it('gives up waiting for the lock after the timeout and names the session holding it', async () => {
    const holder = await acquireMigrationLock(db.url, 'opsbook_migrations', { timeoutMs: 1_000 });
    expect(holder.ok).toBe(true);
    try {
      const result = await migrateUp({ ...opts(), advisoryLockTimeoutMs: 300 });
      expect(result).toMatchObject({ ok: false, locked: true });
      expect(result.diagnostics[0]?.message).toMatch(/pid \d+ opsbook-migrate:lock/);
    } finally {
      if (holder.ok) await holder.lock.release();
    }
    expect((await migrateUp(opts())).ok).toBe(true);
  });

  it('rolls back a failing transactional file completely and points at the statement', async () => {
    await folder.write(
      '003_bad.sql',
      'ALTER TABLE users ADD COLUMN note text;\nALTER TABLE nope ADD COLUMN x text;\n',
    );
    const result = await migrateUp(opts());
    expect(result.ok).toBe(false);
    const failure = result.diagnostics.find((d) => d.code === 'migration/statement-failed');
    expect(failure?.location).toMatchObject({ file: '003_bad.sql', line: 2 });
    expect(await db.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'note'")).toEqual([]);
    expect(await db.query("SELECT 1 FROM opsbook_migrations.history WHERE version = '003'")).toEqual([]);
  });

  it('retries a statement that hits lock_timeout until the blocking session lets go', async () => {
    await migrateUp(opts());
    await folder.write('003_alter.sql', 'ALTER TABLE users ADD COLUMN note text;\n');
    const blocker = await db.session();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE users IN ACCESS SHARE MODE');
    // The blocker lets go once the runner says it hit the timeout and will retry.
    let released: Promise<unknown> | undefined;
    const messages: string[] = [];
    const result = await migrateUp({
      ...opts(),
      onProgress: (m) => {
        messages.push(m);
        if (m.includes('lock_timeout hit')) released ??= blocker.query('COMMIT');
      },
    });
    await released;
    expect(result.ok).toBe(true);
    expect(messages.some((m) => m.includes('lock_timeout hit'))).toBe(true);
  });

  it('refuses a drop that views and functions still use, then backs up before an acknowledged drop', async () => {
    await migrateUp(opts());
    await db.query('CREATE VIEW user_emails AS SELECT email FROM users');
    await db.query(
      "CREATE FUNCTION count_users() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM users'",
    );
    await folder.write(
      '003_drop.sql',
      '-- opsbook-ignore ban-drop-table: replaced by accounts\nDROP TABLE users CASCADE;\n',
    );
    const refused = await migrateUp(opts());
    expect(refused.ok).toBe(false);
    const ref = refused.diagnostics.find((d) => d.code === 'migration/still-referenced');
    expect(ref?.message).toContain('view user_emails');
    expect(ref?.message).toContain('function count_users()');

    await folder.write(
      '003_drop.sql',
      '-- opsbook-ignore ban-drop-table, still-referenced: replaced by accounts\nDROP TABLE users CASCADE;\n',
    );
    const backupsDir = `${folder.dir}/backups`;
    const done = await migrateUp({ ...opts(), backupsDir });
    expect(done.ok).toBe(true);
    const files = await readdir(backupsDir);
    expect(files).toHaveLength(1);
    expect(done.applied[0]?.backup).toContain(files[0]);
  });

  it('keeps the run connection alive while a slow backup runs (idle_session_timeout shorter than pg_dump)', {
    timeout: 30_000,
  }, async () => {
    await migrateUp(opts());
    await db.query(`ALTER DATABASE "${db.name}" SET idle_session_timeout = '1s'`);
    await folder.write(
      '003_drop.sql',
      '-- opsbook-ignore ban-drop-column: unused\nALTER TABLE users DROP COLUMN email;\n',
    );
    // pg_dump waits behind this lock for 2.5 s: longer than the idle timeout of the runner's connection.
    const holder = await db.session();
    // Once it commits, the idle timeout ends this session too.
    holder.on('error', () => {});
    await holder.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const release = setTimeout(() => void holder.query('COMMIT'), 2_500);
    try {
      const done = await migrateUp({ ...opts(), backupsDir: `${folder.dir}/backups` });
      expect(done.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(done.applied.map((a) => [a.version, a.status])).toEqual([['003', 'applied']]);
      expect(done.applied[0]?.backup).toBeTruthy();
    } finally {
      clearTimeout(release);
      await holder.query('COMMIT').catch(() => {});
    }
  });

  it('records the reason when a destructive file runs without a backup', async () => {
    await migrateUp(opts());
    await folder.write('003_truncate.sql', 'TRUNCATE users;\n');
    const journal: string[] = [];
    const result = await migrateUp({
      ...opts(),
      noBackupReason: 'test data only',
      journal: { record: (e) => void journal.push(`${e.type}: ${e.message}`) },
    });
    expect(result.ok).toBe(true);
    expect(journal).toContain('migration.backup-skipped: no backup before 003_truncate.sql: test data only');
    expect(
      await db.query(
        "SELECT data->>'reason' AS reason FROM opsbook_migrations.events WHERE type = 'backup-skipped'",
      ),
    ).toEqual([{ reason: 'test data only' }]);
  });

  it('reads Prisma, Supabase and Alembic histories without writing them, and imports Prisma via baseline', async () => {
    await db.query(`CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
      migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),
      applied_steps_count integer NOT NULL DEFAULT 0)`);
    await db.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES
      ('a', 'x', now(), '001_users'), ('b', 'y', NULL, '002_seed')`);
    await db.query('CREATE SCHEMA supabase_migrations');
    await db.query(
      'CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text)',
    );
    await db.query(
      "INSERT INTO supabase_migrations.schema_migrations VALUES ('20240101000000', NULL, 'init')",
    );
    await db.query(
      "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('ae1027a6acf')",
    );

    const status = await migrationStatus(opts());
    expect(status.foreign.map((h) => [h.tool, h.entries.map((e) => `${e.version}:${e.state}`)])).toEqual([
      ['prisma', ['001:applied', '002:failed']],
      ['supabase', ['20240101000000:applied']],
      ['alembic', ['ae1027a6acf:head']],
    ]);
    const imported = await baselineHistory({ ...opts(), from: 'prisma' });
    expect(imported.changes.map((c) => [c.action, c.version])).toEqual([['import', '001']]);
    // 001 is marked applied without running (users does not exist); 002 stays pending.
    expect((await migrationStatus(opts())).migrations.map((m) => [m.version, m.state])).toEqual([
      ['001', 'applied'],
      ['002', 'pending'],
    ]);
    expect(await db.query('SELECT count(*)::int AS n FROM _prisma_migrations')).toEqual([{ n: 2 }]);
  });

  it('imports a Prisma history kept in the schema the app names (?schema=app), off the search path', async () => {
    await db.query(`CREATE SCHEMA app; CREATE TABLE app._prisma_migrations (id varchar(36) PRIMARY KEY,
      checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text,
      rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
    await db.query(
      "INSERT INTO app._prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('a', 'x', now(), '001_users')",
    );
    const status = await migrationStatus(opts());
    expect(status.foreign.map((h) => [h.table, h.entries.length])).toEqual([['app._prisma_migrations', 1]]);
    const imported = await baselineHistory({ ...opts(), from: 'prisma' });
    expect(imported.changes.map((c) => [c.action, c.version])).toEqual([['import', '001']]);
  });

  it('refuses a file with a NUL byte and applies nothing of the run', async () => {
    await folder.write('003_nul.sql', 'ALTER TABLE users ADD COLUMN a text;\0DROP TABLE users;\n');
    const result = await migrateUp(opts());
    expect(result.ok).toBe(false);
    expect(result.applied).toEqual([]);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'migration/bad-encoding',
        location: { file: '003_nul.sql', line: 1, column: 37 },
      }),
    );
    expect(await db.query("SELECT to_regclass('users') IS NULL AS gone")).toEqual([{ gone: true }]);
  });

  it('fails every command, saying so, when the folder holds no migration files', async () => {
    const empty = await writeMigrations({ 'README.md': 'migrations live elsewhere\n' });
    try {
      const options = { ...opts(), cwd: empty.dir };
      const noFiles = (d: { code: string }[]) => d.some((x) => x.code === 'migration/no-files');
      const plan = await planMigrations(options);
      expect(noFiles(plan.diagnostics)).toBe(true);
      const status = await migrationStatus(options);
      expect([status.ok, noFiles(status.diagnostics)]).toEqual([false, true]);
      const verify = await verifyMigrations(options);
      expect([verify.ok, noFiles(verify.diagnostics)]).toEqual([false, true]);
      const up = await migrateUp(options);
      expect([up.ok, noFiles(up.diagnostics)]).toEqual([false, true]);
      const lint = await lintMigrationFiles(options);
      expect(noFiles(lint.diagnostics)).toBe(true);
    } finally {
      await empty.remove();
    }
  });

  it('baselines every file up to a version', async () => {
    const result = await baselineHistory({ ...opts(), to: '1' });
    expect(result.changes.map((c) => c.version)).toEqual(['001']);
    expect((await migrateUp(opts())).ok).toBe(false); // 002 inserts into users, which baseline did not create
  });

  it('never prints the password of the database URL', async () => {
    const url = new URL(db.url);
    url.password = 'sup3r-secret';
    const plan = await planMigrations({ ...opts(), databaseUrl: url.toString() });
    expect(plan.target).toContain(':[REDACTED]@');
    expect(JSON.stringify(plan)).not.toContain('sup3r-secret');
  });
});
