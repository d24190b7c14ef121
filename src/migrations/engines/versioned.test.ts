import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standinBin, writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { createScratchDb, type ScratchDb } from '../../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../../test/support/pg.js';
import { migrateUp, migrationStatus, planMigrations, verifyMigrations } from '../index.js';
import { supabase } from './versioned.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`versioned engine tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('versioned engines (supabase, rails, ecto)', () => {
  let db: ScratchDb;
  let repo: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    db = await createScratchDb('opsbook_versioned');
    repo = await mkdtemp(join(tmpdir(), 'opsbook-versioned-'));
    env = { ...process.env, PATH: `${await standinBin(repo)}:${process.env.PATH}` };
  });
  afterEach(async () => {
    await db.drop();
    await rm(repo, { recursive: true, force: true });
  });

  it('two files with one version are refused, not both called applied when the engine recorded the version once', async () => {
    await writeTree(repo, {
      'supabase/config.toml': 'project_id = "x"\n',
      'supabase/migrations/20240101000000_a.sql': 'CREATE TABLE a (id bigint);\n',
      'supabase/migrations/20240101000000_b.sql': 'CREATE TABLE b (id bigint);\n',
    });
    await db.query(
      `CREATE SCHEMA supabase_migrations;
       CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text);
       INSERT INTO supabase_migrations.schema_migrations (version, name) VALUES ('20240101000000', 'a');`,
    );
    const options = { cwd: repo, engine: 'supabase', databaseUrl: db.url, env };
    const duplicate = expect.objectContaining({
      code: 'migration/duplicate-version',
      severity: 'error',
      location: { file: 'supabase/migrations/20240101000000_b.sql' },
    });
    const status = await migrationStatus(options);
    expect(status.ok).toBe(false);
    expect(status.diagnostics).toContainEqual(duplicate);
    expect((await verifyMigrations(options)).ok).toBe(false);
    const up = await migrateUp(options);
    expect([up.ok, up.applied]).toEqual([false, []]);
  });

  it('plans a rails migration as SQL it cannot see, not as zero statements', async () => {
    await writeTree(repo, {
      Gemfile: '',
      'db/migrate/20240101000000_a.rb':
        'class A < ActiveRecord::Migration[7.1]; def change; drop_table :a; end; end\n',
    });
    const plan = await planMigrations({ cwd: repo, engine: 'rails', databaseUrl: db.url, env });
    expect(plan.pending.map((m) => [m.file.display, m.sqlUnseen])).toEqual([
      ['db/migrate/20240101000000_a.rb', true],
    ]);
  });

  it('warns about a file of the engine without a version, instead of leaving it out unsaid', async () => {
    await writeTree(repo, {
      'supabase/migrations/20240101000000_a.sql': 'CREATE TABLE a (id bigint);\n',
      'supabase/migrations/add_b.sql': 'CREATE TABLE b (id bigint);\n',
      'supabase/migrations/.gitkeep': '',
    });
    const listed = await supabase.list(repo, 'supabase/migrations');
    expect(listed.migrations.map((m) => m.id)).toEqual(['20240101000000']);
    expect(listed.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'migration/unrecognized-file',
        location: { file: 'supabase/migrations/add_b.sql' },
      }),
    ]);
  });
});
