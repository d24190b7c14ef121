import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { lintMigrationFiles, migrateUp } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migration lint scope tests: no PostgreSQL at ${pgUrl()}`);

// A shipped file with a finding (a blocking index build) and a new one with the same finding.
const SHIPPED = 'CREATE INDEX users_email_idx ON users (email);\n';
const NEW = 'CREATE INDEX users_name_idx ON users (name);\n';
const flagged = (r: { diagnostics: { code: string; location?: { file?: string } }[] }) =>
  r.diagnostics
    .filter((d) => d.code === 'migration/require-concurrent-index-creation')
    .map((d) => d.location?.file);

describe('migrate lint looks at what is new', () => {
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: folder.dir,
    });

  beforeEach(async () => {
    folder = await writeMigrations({ '001_shipped.sql': SHIPPED });
  });
  afterEach(async () => {
    await folder.remove();
  });

  it('lints only files changed since a git base; --all lints the history too', async () => {
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'shipped');
    git('branch', 'base');
    await folder.write('002_new.sql', NEW);
    const options = { cwd: folder.dir, dir: '.' };
    const since = await lintMigrationFiles({ ...options, since: 'base' });
    expect(flagged(since)).toEqual(['002_new.sql']);
    expect(since.scope).toBe('1 file(s) changed since base');
    expect(flagged(await lintMigrationFiles({ ...options, all: true }))).toEqual([
      '001_shipped.sql',
      '002_new.sql',
    ]);
    await expect(lintMigrationFiles({ ...options, since: 'no-such-ref' })).rejects.toThrow(
      /cannot compare with no-such-ref/,
    );
  });

  it('lints everything, and says why, when there is neither a history nor an upstream', async () => {
    const result = await lintMigrationFiles({ cwd: folder.dir, dir: '.' });
    expect(flagged(result)).toEqual(['001_shipped.sql']);
    expect(result.diagnostics.find((d) => d.code === 'migration/lint-scope')?.message).toMatch(
      /every file was linted/,
    );
  });
});

describe.skipIf(!available)('migrate lint with a database', () => {
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  let db: ScratchDb;
  beforeEach(async () => {
    folder = await writeMigrations({ '001_shipped.sql': SHIPPED });
    db = await createScratchDb('opsbook_lintscope');
    await db.query('CREATE TABLE users (email text, name text)');
  });
  afterEach(async () => {
    await folder.remove();
    await db.drop();
  });

  it('lints only files the history does not have', async () => {
    const options = { cwd: folder.dir, dir: '.', databaseUrl: db.url };
    expect((await migrateUp({ ...options, skipLint: true })).ok).toBe(true);
    await folder.write('002_new.sql', NEW);
    const result = await lintMigrationFiles(options);
    expect(flagged(result)).toEqual(['002_new.sql']);
    expect(result.scope).toBe('1 file(s) not yet applied');
  });
});
