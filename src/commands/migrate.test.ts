import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { createOutput } from '../output/index.js';
import { run } from './migrate.js';
import { MIGRATE_ARGS } from './specs-release.js';

function input(
  positionals: string[],
  values: CommandValues<typeof MIGRATE_ARGS>,
  cwd: string,
  env: NodeJS.ProcessEnv = {},
) {
  const written: string[] = [];
  const sink = { write: (s: string) => written.push(s) };
  const out = createOutput({ mode: 'plain', stdout: sink, stderr: sink, env: {} });
  const cmd = commandInput(MIGRATE_ARGS, { values, positionals, cwd, out, env });
  return { cmd, written };
}

describe('opsbook migrate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-cli-'));
    await writeFile(join(dir, '001_index.sql'), 'CREATE INDEX users_email_idx ON users (email);\n');
    await writeFile(join(dir, '002_ok.sql'), 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (name);\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lints a folder with no database and returns diagnostics with severity, code and location', async () => {
    const { cmd } = input(['lint', '.'], {}, dir);
    const outcome = await run(cmd);
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'migration/require-concurrent-index-creation',
        location: { file: '001_index.sql', line: 1, column: 33 },
      }),
    ]);
    expect(outcome.data).toEqual([
      { file: '001_index.sql', statements: 1, transactional: true, reason: undefined },
      expect.objectContaining({ file: '002_ok.sql', transactional: false }),
    ]);
  });

  it('refuses a --pg-version that is not a PostgreSQL version instead of linting for 15', async () => {
    for (const version of ['abc', '8', 'v16']) {
      const error = await run(input(['lint', '.'], { 'pg-version': version }, dir).cmd).catch(
        (e: unknown) => e,
      );
      expect(error, version).toMatchObject({ name: 'UserError', message: expect.stringContaining(version) });
    }
    expect((await run(input(['lint', '.'], { 'pg-version': '16.2' }, dir).cmd)).ok).toBe(false);
  });

  it('fails on a config that does not validate instead of linting with the defaults', async () => {
    // An engine that is not .sql files, in a config missing required fields: the old fallback linted `migrations/`.
    await writeFile(join(dir, 'opsbook.yaml'), 'migrations:\n  engine: rails\n');
    const outcome = await run(input(['lint'], {}, dir).cmd);
    expect(outcome.ok).toBe(false);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'config/missing-field', message: expect.stringContaining("'dir'") }),
    );
  });

  it('refuses files over the config’s migrations.maxFileSize before parsing them', async () => {
    await writeFile(
      join(dir, 'opsbook.yaml'),
      'name: t\nservices:\n  db:\n    kind: database\nmigrations:\n  database: db\n  dir: .\n  maxFileSize: 1KiB\n',
    );
    await writeFile(join(dir, '003_big.sql'), 'SELECT 1;\n'.repeat(200));
    const outcome = await run(input(['lint'], { all: true }, dir).cmd);
    expect(outcome.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'migration/file-too-large',
        message: '003_big.sql is 2 KiB, over the 1 KiB limit for a migration file',
      }),
    );
  });

  it('names the config key when the configured migrations folder does not exist', async () => {
    await writeFile(
      join(dir, 'opsbook.yaml'),
      'name: t\nservices:\n  db:\n    kind: database\nmigrations:\n  database: db\n  dir: supabase/migrationz\n  engine: supabase\n',
    );
    await expect(run(input(['lint'], {}, dir).cmd)).rejects.toMatchObject({
      message: 'migrations directory not found: supabase/migrationz (migrations.dir in opsbook.yaml)',
      hint: expect.stringContaining('set migrations.dir (or --dir)'),
    });
  });

  it('rejects an unknown subcommand with the list of valid ones', async () => {
    await expect(run(input(['upp'], {}, dir).cmd)).rejects.toMatchObject({
      hint: expect.stringContaining('lint, plan, up'),
    });
  });

  it('requires a reason for --no-backup before touching the database', async () => {
    const { cmd } = input(
      ['up'],
      { 'no-backup': true, 'database-url': 'postgres://u:pw@127.0.0.1:9/x' },
      dir,
    );
    await expect(run(cmd)).rejects.toMatchObject({ message: '--no-backup needs --reason "..."' });
  });

  it('takes the database from DATABASE_URL and never prints its password', async () => {
    const { cmd, written } = input(['plan'], { dir: '.' }, dir, {
      DATABASE_URL: 'postgres://u:topsecret1@127.0.0.1:9/x',
    });
    const error = (await run(cmd).catch((e: Error) => e)) as Error;
    expect(error.message).toContain('postgres://u:[REDACTED]@127.0.0.1:9/x');
    expect(error.message).not.toContain('topsecret1');
    cmd.out.error(`${error.message} topsecret1`);
    expect(written.join('')).not.toContain('topsecret1');
  });
});
