import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, standinBin, writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { createScratchDb, type ScratchDb } from '../../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../../test/support/pg.js';
import {
  checkMigrations,
  migrateUp,
  migrationStatus,
  planMigrations,
  testMigrations,
  verifyMigrations,
} from '../index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migration engine tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('engines in their real layout, against their own history tables', () => {
  let db: ScratchDb;
  let repo: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    db = await createScratchDb('opsbook_engine');
    repo = await mkdtemp(join(tmpdir(), 'opsbook-engine-'));
    env = { ...process.env, PATH: `${await standinBin(repo)}:${process.env.PATH}` };
  });
  afterEach(async () => {
    await db.drop();
    await rm(repo, { recursive: true, force: true });
  });

  for (const fixture of FIXTURES) {
    it(`${fixture.engine}: status, plan, lint of new files, up through the engine command, verify`, {
      timeout: 60_000,
    }, async () => {
      // Where opsbook cannot see the SQL, the team accepts that once in the config; without it nothing is applied.
      const accept = fixture.linted ? {} : { ruleSeverity: { 'migration/not-linted': 'warning' as const } };
      const options = () => ({ cwd: repo, engine: fixture.engine, databaseUrl: db.url, env, ...accept });
      await writeTree(repo, fixture.base);
      if (!fixture.linted) {
        const refused = await migrateUp({ ...options(), ruleSeverity: undefined });
        expect(refused.ok).toBe(false);
        expect(refused.diagnostics.find((d) => d.code === 'migration/not-linted')?.severity).toBe('error');
        expect(await db.query(`SELECT to_regclass('${fixture.history}') IS NULL AS untouched`)).toEqual([
          { untouched: true },
        ]);
      }
      const first = await migrateUp(options());
      expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(first.applied.map((a) => a.status)).toEqual(['applied']);
      expect(await db.query(`SELECT count(*)::int AS n FROM ${fixture.history}`)).toEqual([{ n: 1 }]);

      await writeTree(repo, { ...fixture.second, ...fixture.unsafe });
      const status = await migrationStatus(options());
      expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'pending', 'pending']);

      const plan = await planMigrations(options());
      expect(plan.pending).toHaveLength(2);
      expect(plan.engine?.table).toBe(fixture.history);
      const codes = plan.diagnostics.map((d) => d.code);
      if (fixture.linted) {
        // Only the new files are linted: the applied one (and a down migration) would trip nothing anyway,
        // the unsafe index build does.
        expect(codes).toContain('migration/require-concurrent-index-creation');
        expect(codes).not.toContain('migration/ban-drop-table');
      } else {
        expect(codes).toContain('migration/not-linted');
        const notLinted = plan.diagnostics.find((d) => d.code === 'migration/not-linted');
        expect(notLinted?.message).toMatch(/^2 \S+ migration\(s\) not linted .*no dry run/);
        expect(notLinted?.severity).toBe('warning');
      }

      // The unsafe one is taken out again; the safe one goes through the engine's own command.
      for (const path of Object.keys(fixture.unsafe)) {
        if (path in fixture.second) continue;
        // A Prisma migration is its folder.
        await rm(join(repo, path.endsWith('/migration.sql') ? dirname(path) : path), { recursive: true });
      }
      await writeTree(repo, fixture.second);
      const up = await migrateUp(options());
      expect(up.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(up.ok).toBe(true);
      expect(up.applied.map((a) => a.status)).toEqual(['applied']);
      expect(await db.query(`SELECT count(*)::int AS n FROM ${fixture.history}`)).toEqual([
        { n: fixture.engine === 'alembic' ? 1 : 2 },
      ]);
      expect(
        await db.query("SELECT 1 AS ok FROM information_schema.columns WHERE column_name = 'note'"),
      ).toEqual([{ ok: 1 }]);
      const verify = await verifyMigrations(options());
      expect(verify.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(verify.ok).toBe(true);
      // Nothing the engine recorded is applied again.
      expect((await migrateUp(options())).applied).toEqual([]);
    });
  }

  it('prisma: a failed row is a failure for plan, up and verify, not "applied"', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const options = { cwd: repo, engine: 'prisma', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    await writeTree(repo, prisma.second);
    await db.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ('f', 'x', '20240201000000_note', 'boom')",
    );
    const plan = await planMigrations(options);
    const failed = plan.diagnostics.find((d) => d.code === 'migration/failed');
    expect(failed?.message).toContain(
      '20240201000000_note/migration.sql is recorded as failed in _prisma_migrations',
    );
    expect(failed?.hint).toContain('prisma migrate resolve --rolled-back 20240201000000_note');
    expect((await migrationStatus(options)).migrations.map((m) => m.state)).toEqual(['applied', 'failed']);
    expect((await verifyMigrations(options)).ok).toBe(false);
    const up = await migrateUp(options);
    expect([up.ok, up.applied]).toEqual([false, []]);
  });

  it('supabase: never applies what supabase_migrations recorded (the seed row stays single)', async () => {
    const supabase = FIXTURES.find((f) => f.engine === 'supabase')!;
    await writeTree(repo, supabase.base);
    const options = { cwd: repo, engine: 'supabase', databaseUrl: db.url, env };
    await migrateUp(options);
    await migrateUp(options);
    expect(await db.query('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 1 }]);
  });

  it('alembic: two heads are refused with the merge command', async () => {
    const alembic = FIXTURES.find((f) => f.engine === 'alembic')!;
    await writeTree(repo, {
      ...alembic.base,
      'alembic/versions/b2_note.py': "revision = 'b2'\ndown_revision = 'a1'\n",
      'alembic/versions/x9_other.py': "revision = 'x9'\ndown_revision = 'a1'\n",
    });
    const options = { cwd: repo, engine: 'alembic', databaseUrl: db.url, env };
    const plan = await planMigrations(options);
    const heads = plan.diagnostics.find((d) => d.code === 'migration/alembic-multiple-heads');
    expect(heads?.message).toContain('2 heads (b2, x9)');
    expect(heads?.hint).toContain('alembic merge heads');
    expect((await migrateUp(options)).ok).toBe(false);
    expect(await db.query("SELECT to_regclass('alembic_version') IS NULL AS untouched")).toEqual([
      { untouched: true },
    ]);
  });

  it('alembic: a down_revision cycle and a revision defined twice are refused, naming them', async () => {
    const alembic = FIXTURES.find((f) => f.engine === 'alembic')!;
    await writeTree(repo, {
      ...alembic.base,
      'alembic/versions/c1_loop.py': "revision = 'c1'\ndown_revision = 'c2'\n",
      'alembic/versions/c2_loop.py': "revision = 'c2'\ndown_revision = 'c1'\n",
      'alembic/versions/a1_again.py': "revision = 'a1'\ndown_revision = None\n",
    });
    const options = { cwd: repo, engine: 'alembic', databaseUrl: db.url, env };
    const plan = await planMigrations(options);
    const codes = plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['migration/alembic-cycle', 'migration/duplicate-version']));
    expect(plan.diagnostics.find((d) => d.code === 'migration/alembic-cycle')?.message).toContain(
      'c1 -> c2; c2 -> c1',
    );
    expect((await migrateUp(options)).ok).toBe(false);
    expect(await db.query("SELECT to_regclass('alembic_version') IS NULL AS untouched")).toEqual([
      { untouched: true },
    ]);
  });

  it('a failing engine command fails the run with its exit and output tail', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const events: { type: string; message: string }[] = [];
    const options = {
      cwd: repo,
      engine: 'prisma',
      databaseUrl: db.url,
      env: { ...env, STANDIN_FAIL: 'Error: P1001 Cannot reach database server' },
      journal: { record: (e: { type: string; message: string }) => void events.push(e) },
    };
    const up = await migrateUp(options);
    expect(up.ok).toBe(false);
    // The run is recorded as failed, with the reason the deploy announces.
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'migration.failed',
        message: expect.stringContaining('`npx prisma migrate deploy` failed (exit 1)'),
      }),
    );
    const failed = up.diagnostics.find((d) => d.code === 'migration/command-failed');
    expect(failed?.message).toBe(
      '`npx prisma migrate deploy` failed (exit 1); its last output:\nError: P1001 Cannot reach database server',
    );
    expect(up.applied.map((a) => a.status)).toEqual(['failed']);
  });

  it('an engine command that hangs is stopped at migrations.commandTimeout and fails the run', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const events: { type: string; message: string }[] = [];
    const up = await migrateUp({
      cwd: repo,
      engine: 'prisma',
      // A hung engine: its own process (here a sleep under sh) holds the output open until it is killed.
      command: 'echo connecting; sleep 30 & wait',
      commandTimeoutMs: 500,
      databaseUrl: db.url,
      env,
      journal: { record: (e: { type: string; message: string }) => void events.push(e) },
    });
    expect(up.ok).toBe(false);
    const failed = up.diagnostics.find((d) => d.code === 'migration/command-failed');
    expect(failed?.message).toBe(
      '`echo connecting; sleep 30 & wait` failed (timed out after 0.5s, stopped with everything it started); its last output:\nconnecting',
    );
    expect(up.applied.map((a) => a.status)).toEqual(['failed']);
    expect(events.map((e) => e.type)).toContain('migration.failed');
  });

  it('django: apps nested in packages are read under their labels, against django_migrations', async () => {
    const django = FIXTURES.find((f) => f.engine === 'django')!;
    const nested = Object.fromEntries(
      Object.entries({ ...django.base, ...django.second }).map(([path, text]) => [
        path.replace(/^shop\//, 'backend/apps/shop/'),
        text,
      ]),
    );
    await writeTree(repo, {
      ...nested,
      'backend/apps/users/apps.py': "class UsersConfig(AppConfig):\n    label = 'accounts'\n",
      'backend/apps/users/migrations/0001_initial.py': 'from django.db import migrations\n',
    });
    await db.query(
      "CREATE TABLE django_migrations (id serial, app text, name text, applied timestamptz DEFAULT now()); INSERT INTO django_migrations (app, name) VALUES ('shop', '0001_initial'), ('accounts', '0001_initial'), ('auth', '0001_initial')",
    );
    const status = await migrationStatus({ cwd: repo, engine: 'django', databaseUrl: db.url, env });
    expect(status.migrations.map((m) => [m.version, m.name, m.state])).toEqual([
      ['0001', 'shop.initial', 'applied'],
      ['0002', 'shop.note', 'pending'],
      ['0001', 'accounts.initial', 'applied'],
    ]);
  });

  it('rails: a history row whose file was deleted (squashed away) warns, as rails does, and blocks nothing', async () => {
    const rails = FIXTURES.find((f) => f.engine === 'rails')!;
    await writeTree(repo, rails.base);
    const options = {
      cwd: repo,
      engine: 'rails',
      databaseUrl: db.url,
      env,
      ruleSeverity: { 'migration/not-linted': 'warning' as const },
    };
    expect((await migrateUp(options)).ok).toBe(true);
    await db.query("INSERT INTO schema_migrations (version) VALUES ('20230101000000')");
    await writeTree(repo, rails.second);
    const missing = (await verifyMigrations(options)).diagnostics.find(
      (d) => d.code === 'migration/missing-file',
    );
    expect(missing?.severity).toBe('warning');
    expect(missing?.hint).toContain('rails db:migrate` ignores it');
    const up = await migrateUp(options);
    expect([up.ok, up.applied.map((a) => a.status)]).toEqual([true, ['applied']]);
    expect((await verifyMigrations(options)).ok).toBe(true);
  });

  it('prisma: a file checked out with CRLF line endings (git autocrlf) still matches its checksum', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const options = { cwd: repo, engine: 'prisma', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    const path = 'prisma/migrations/20240101000000_init/migration.sql';
    await writeTree(repo, { [path]: (prisma.base[path] ?? '').replaceAll('\n', '\r\n') });
    const verify = await verifyMigrations(options);
    expect(verify.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(verify.migrations.map((m) => m.state)).toEqual(['applied']);
  });

  it('django: rows of apps whose migrations live outside the repository (auth, contenttypes) are not missing files', async () => {
    const django = FIXTURES.find((f) => f.engine === 'django')!;
    await writeTree(repo, django.base);
    const options = { cwd: repo, engine: 'django', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    await db.query(
      "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', now()), ('contenttypes', '0001_initial', now()), ('shop', '0009_gone', now())",
    );
    const verify = await verifyMigrations(options);
    expect(verify.ok).toBe(true);
    // Only the repository's own app is checked for deleted files.
    expect(
      verify.diagnostics.filter((d) => d.code === 'migration/missing-file').map((d) => d.message),
    ).toEqual(['shop.0009_gone is recorded as applied in django_migrations but no file for it is in .']);
  });

  it('prisma: finds _prisma_migrations in the schema a ?schema= URL put it in', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const options = { cwd: repo, engine: 'prisma', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    await db.query('CREATE SCHEMA app; ALTER TABLE _prisma_migrations SET SCHEMA app');
    const status = await migrationStatus(options);
    expect(status.engine?.table).toBe('app._prisma_migrations');
    expect(status.migrations.map((m) => m.state)).toEqual(['applied']);
  });

  it('prisma: a history row without its folder stays an error', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const options = { cwd: repo, engine: 'prisma', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    await db.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at) VALUES ('g', 'x', '20230101000000_gone', now())",
    );
    const verify = await verifyMigrations(options);
    expect(verify.ok).toBe(false);
    expect(verify.diagnostics.find((d) => d.code === 'migration/missing-file')?.severity).toBe('error');
  });

  it('backs up what a destructive migration drops before the engine command runs, as the plan promises', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, prisma.base);
    const options = { cwd: repo, engine: 'prisma', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    await writeTree(repo, {
      'prisma/migrations/20240201000000_drop/migration.sql':
        '-- opsbook-ignore migration/ban-drop-column: the app stopped using it\nALTER TABLE items DROP COLUMN name;\n',
    });
    const plan = await planMigrations(options);
    expect(plan.pending[0]?.destructive).toEqual([expect.objectContaining({ object: 'items' })]);
    const up = await migrateUp(options);
    expect(up.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const backup = up.applied[0]?.backup ?? '';
    expect(backup).toMatch(/20240201000000_drop\.dump$/);
    expect((await stat(backup)).size).toBeGreaterThan(0);
  });

  it('django: each sqlmigrate output is its migration’s SQL, so a destructive one is backed up first', async () => {
    const django = FIXTURES.find((f) => f.engine === 'django')!;
    await writeTree(repo, django.base);
    const options = {
      cwd: repo,
      engine: 'django',
      databaseUrl: db.url,
      env,
      ruleSeverity: { 'migration/ban-drop-column': 'off' as const },
    };
    expect((await migrateUp(options)).ok).toBe(true);
    await writeTree(repo, {
      'shop/migrations/0002_drop.py':
        'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL("ALTER TABLE items DROP COLUMN name")]\n',
    });
    const plan = await planMigrations(options);
    expect(plan.pending[0]?.destructive).toEqual([expect.objectContaining({ object: 'items' })]);
    const up = await migrateUp(options);
    expect(up.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(up.applied[0]?.backup).toMatch(/0002_shop\.drop\.dump$/);
  });

  it('migrate test says so when the engine command migrated the target instead of the scratch database', async () => {
    const supabase = FIXTURES.find((f) => f.engine === 'supabase')!;
    await writeTree(repo, supabase.base);
    // A command that ignores the URL opsbook gives it (here: it names the target itself).
    const command = `DATABASE_URL='${db.url}' supabase db push`;
    const result = await testMigrations({ cwd: repo, engine: 'supabase', databaseUrl: db.url, env, command });
    expect(result.ok).toBe(false);
    const touched = result.diagnostics.find((d) => d.code === 'migration/test-touched-target');
    expect(touched?.message).toContain('supabase_migrations.schema_migrations now records 20240101000000');
    expect(touched?.hint).toContain('DATABASE_URL');
  });

  it('a run connection closed by idle_session_timeout during a long engine command does not fail what applied', {
    timeout: 60_000,
  }, async () => {
    const supabase = FIXTURES.find((f) => f.engine === 'supabase')!;
    await writeTree(repo, supabase.base);
    await db.query(`ALTER DATABASE "${db.name}" SET idle_session_timeout = '1s'`);
    const command = 'sleep 2.5; supabase db push';
    const up = await migrateUp({ cwd: repo, engine: 'supabase', databaseUrl: db.url, env, command });
    expect(up.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([up.ok, up.applied.map((a) => a.status)]).toEqual([true, ['applied']]);
  });

  it('says the command ran and its outcome is unknown when the history cannot be read afterwards', {
    timeout: 60_000,
  }, async () => {
    const supabase = FIXTURES.find((f) => f.engine === 'supabase')!;
    await writeTree(repo, supabase.base);
    const admin = pgUrl();
    const command = `supabase db push && psql -q "${admin}" -c 'ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false'`;
    try {
      const up = await migrateUp({ cwd: repo, engine: 'supabase', databaseUrl: db.url, env, command });
      expect(up.ok).toBe(false);
      const unread = up.diagnostics.find((d) => d.code === 'migration/history-unreadable');
      expect(unread?.message).toMatch(
        /^`supabase db push && psql .*` ran, but its history could not be read afterwards/,
      );
      expect(unread?.message).toContain('which migrations it applied is not known');
    } finally {
      await db.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
    }
  });

  it('a lock lost while the engine command runs fails the run instead of reporting it clean', {
    timeout: 60_000,
  }, async () => {
    const supabase = FIXTURES.find((f) => f.engine === 'supabase')!;
    await writeTree(repo, supabase.base);
    // The command ends opsbook's lock session (as a DBA or a pooler would), then applies.
    const kill = `psql -q "${db.url}" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'opsbook-migrate:lock' AND datname = current_database()"`;
    const command = `${kill} >/dev/null && sleep 0.5 && supabase db push`;
    const up = await migrateUp({ cwd: repo, engine: 'supabase', databaseUrl: db.url, env, command });
    expect(up.ok).toBe(false);
    const lost = up.diagnostics.find((d) => d.code === 'migration/lock-lost');
    expect(lost?.message).toContain('the migration lock was lost while `psql');
    expect(lost?.message).toContain('recorded as applied: supabase/migrations/20240101000000_init.sql');
  });

  it('migrate test runs the engine command against a scratch database and counts what it applied', async () => {
    const prisma = FIXTURES.find((f) => f.engine === 'prisma')!;
    await writeTree(repo, { ...prisma.base, ...prisma.second });
    const result = await testMigrations({ cwd: repo, engine: 'prisma', databaseUrl: db.url, env });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.applied.map((a) => a.status)).toEqual(['applied', 'applied']);
    // The target itself was not touched.
    expect(await db.query("SELECT to_regclass('_prisma_migrations') IS NULL AS untouched")).toEqual([
      { untouched: true },
    ]);
    const gate = await checkMigrations({ cwd: repo, engine: 'prisma', databaseUrl: db.url, env });
    expect(gate).toMatchObject({ ok: true, summary: expect.stringContaining('2 pending migration(s)') });
  });
});
