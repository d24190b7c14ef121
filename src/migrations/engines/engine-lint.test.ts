import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, standinBin, writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { createScratchDb, type ScratchDb } from '../../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../../test/support/pg.js';
import {
  lintMigrationFiles,
  migrateUp,
  migrationStatus,
  planMigrations,
  testMigrations,
  verifyMigrations,
} from '../index.js';
import { engineFor } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`engine lint tests: no PostgreSQL at ${pgUrl()}`);

const fixture = (engine: string) => {
  const found = FIXTURES.find((f) => f.engine === engine);
  if (!found) throw new Error(`no fixture for ${engine}`);
  return found;
};
const EMPTY_JOURNAL = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [] });
const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);

describe('migrate lint of an engine’s new migrations, without a database', () => {
  let repo: string;
  let env: NodeJS.ProcessEnv;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'opsbook-engine-lint-'));
    env = { ...process.env, PATH: `${await standinBin(repo)}:${process.env.PATH}` };
    await writeTree(repo, { '.gitignore': '.standin-bin\n' });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  /** The first migration shipped on `base`; the second and the unsafe third are new on the branch. */
  async function branchWithNewMigrations(engine: string) {
    const f = fixture(engine);
    await writeTree(repo, f.base);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'shipped');
    git('branch', 'base');
    await writeTree(repo, { ...f.second, ...f.unsafe });
    return { cwd: repo, engine, env, since: 'base' };
  }

  for (const engine of ['prisma', 'supabase', 'alembic', 'drizzle', 'node-pg-migrate']) {
    it(`${engine}: lints the SQL of the new migrations only`, { timeout: 30_000 }, async () => {
      const result = await lintMigrationFiles(await branchWithNewMigrations(engine));
      expect(codes(result)).toContain('migration/require-concurrent-index-creation');
      expect(codes(result)).not.toContain('migration/not-linted');
      // node-pg-migrate's shipped file has a DROP TABLE in its down part: neither shipped nor down SQL is linted.
      expect(codes(result)).not.toContain('migration/ban-drop-table');
      expect(result.files.length).toBeGreaterThan(0);
      expect(result.scope).toMatch(/changed since base/);
    });
  }

  it('prisma: lints as the plan does, without the timeouts only opsbook’s own runner sets', async () => {
    const result = await lintMigrationFiles(await branchWithNewMigrations('prisma'));
    const timeout = result.diagnostics.find((d) => d.code === 'migration/require-lock-timeout');
    // Prisma runs the file, so opsbook's config cannot set the timeout for it: the fix is in the file.
    expect(timeout?.hint).toMatch(
      /^start the file with SET lock_timeout = '...'; where opsbook applies the files itself/,
    );
  });

  it('alembic: the SQL comes from offline mode, starting after the shipped revision', async () => {
    const result = await lintMigrationFiles(await branchWithNewMigrations('alembic'));
    expect(result.files.map((f) => f.file)).toEqual([
      'alembic upgrade a1:head --sql, revision b2',
      'alembic upgrade a1:head --sql, revision c3',
    ]);
  });

  it('alembic --all: each revision is linted on its own, so a table from an older one is not "new"', async () => {
    const options = await branchWithNewMigrations('alembic');
    const result = await lintMigrationFiles({ ...options, since: undefined, all: true });
    expect(result.files.map((f) => f.file)).toEqual(
      ['a1', 'b2', 'c3'].map((r) => `alembic upgrade head --sql, revision ${r}`),
    );
    const index = result.diagnostics.find((d) => d.code === 'migration/require-concurrent-index-creation');
    // The line is the one in the whole offline output, where `alembic upgrade head --sql` shows it.
    expect(index?.location).toMatchObject({ file: 'alembic upgrade head --sql, revision c3', line: 17 });
  });

  for (const engine of ['rails', 'ecto', 'knex']) {
    it(`${engine}: says the new migrations cannot be linted, why and what to do, and fails`, async () => {
      const result = await lintMigrationFiles(await branchWithNewMigrations(engine));
      const notLinted = result.diagnostics.find((d) => d.code === 'migration/not-linted');
      expect(notLinted?.severity).toBe('error');
      // Only the two new ones, never "no migration files found" and never "0 files linted, ok".
      expect(notLinted?.message).toMatch(new RegExp(`^2 ${engine} migration\\(s\\) not linted \\(`));
      expect(notLinted?.message).toMatch(/no dry run/);
      expect(notLinted?.hint).toContain('migration/not-linted: warning');
      expect(codes(result)).not.toContain('migration/no-files');
      expect(result.files).toEqual([]);
    });
  }

  it('rails: migrations.rules can accept unlinted migrations as a warning', async () => {
    const options = await branchWithNewMigrations('rails');
    const result = await lintMigrationFiles({
      ...options,
      ruleSeverity: { 'migration/not-linted': 'warning' },
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.diagnostics.find((d) => d.code === 'migration/not-linted')?.severity).toBe('warning');
  });

  it('node-pg-migrate: a JavaScript migration is named as not linted, its SQL neighbours are linted', async () => {
    const options = await branchWithNewMigrations('node-pg-migrate');
    await writeTree(repo, {
      'migrations/1712000000000_js.js': 'exports.up = (pgm) => { pgm.sql("SELECT 1"); };\n',
    });
    const result = await lintMigrationFiles(options);
    const notLinted = result.diagnostics.find((d) => d.code === 'migration/not-linted');
    expect(notLinted?.message).toContain(
      '1 node-pg-migrate migration(s) not linted (migrations/1712000000000_js.js)',
    );
    expect(notLinted?.message).toContain('node-pg-migrate up --dry-run');
    expect(codes(result)).toContain('migration/require-concurrent-index-creation');
  });

  it('django: sqlmigrate needs the database, and the message says so instead of linting nothing', async () => {
    const result = await lintMigrationFiles(await branchWithNewMigrations('django'));
    const notLinted = result.diagnostics.find((d) => d.code === 'migration/not-linted');
    expect(notLinted?.message).toMatch(/^2 django migration\(s\) not linted/);
    expect(notLinted?.message).toContain('sqlmigrate');
    expect(notLinted?.message).toContain('database URL');
  });
});

describe.skipIf(!available)('engines with a database: lint through the engine, and zero files', () => {
  let db: ScratchDb;
  let repo: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    db = await createScratchDb('opsbook_engine_lint');
    repo = await mkdtemp(join(tmpdir(), 'opsbook-engine-lint-'));
    env = { ...process.env, PATH: `${await standinBin(repo)}:${process.env.PATH}` };
  });
  afterEach(async () => {
    await db.drop();
    await rm(repo, { recursive: true, force: true });
  });

  it('django: lints the pending migrations through sqlmigrate when the database is there', async () => {
    const f = fixture('django');
    await writeTree(repo, f.base);
    const options = { cwd: repo, engine: 'django', databaseUrl: db.url, env };
    expect((await migrateUp(options)).ok).toBe(true);
    await writeTree(repo, { ...f.second, ...f.unsafe });
    const result = await lintMigrationFiles(options);
    expect(result.scope).toBe('2 file(s) not yet applied');
    expect(result.files.map((x) => x.file)).toEqual([
      'python manage.py sqlmigrate shop 0002_note',
      'python manage.py sqlmigrate shop 0003_index',
    ]);
    expect(codes(result)).toContain('migration/require-concurrent-index-creation');
    expect(codes(result)).not.toContain('migration/not-linted');
  });

  for (const f of FIXTURES) {
    it(`${f.engine}: zero migration files fails lint, plan, status, verify, up and test`, {
      timeout: 60_000,
    }, async () => {
      // The engine's project files are there, its migrations folder holds no migration.
      const project = Object.entries(f.base).filter(([path]) => !/\d{4}|a1_init/.test(path));
      await writeTree(repo, Object.fromEntries(project));
      if (f.engine === 'drizzle') await writeTree(repo, { 'drizzle/meta/_journal.json': EMPTY_JOURNAL });
      const dir = engineFor(f.engine)?.defaultDir ?? '.';
      await writeTree(repo, { [join(dir, 'README.md')]: 'migrations go here\n' });
      const options = { cwd: repo, engine: f.engine, databaseUrl: db.url, env };
      const noFiles = (r: { diagnostics: { code: string }[] }) => codes(r).includes('migration/no-files');
      const lint = await lintMigrationFiles(options);
      expect(noFiles(lint)).toBe(true);
      expect(noFiles(await planMigrations(options))).toBe(true);
      const status = await migrationStatus(options);
      expect([status.ok, noFiles(status)]).toEqual([false, true]);
      const verify = await verifyMigrations(options);
      expect([verify.ok, noFiles(verify)]).toEqual([false, true]);
      const up = await migrateUp(options);
      expect([up.ok, noFiles(up)]).toEqual([false, true]);
      const test = await testMigrations(options);
      expect([test.ok, noFiles(test)]).toEqual([false, true]);
    });
  }
});
