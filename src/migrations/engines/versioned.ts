/**
 * Engines whose migrations are versioned files in one folder and whose history is a list of applied keys:
 * Supabase (SQL), Rails (Ruby), Ecto (Elixir), knex and node-pg-migrate (JavaScript or SQL).
 */
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { duplicateVersion } from '../files.js';
import { findUp, listDir, readChecked, splitVersioned } from './files.js';
import { appliedIds } from './history-tables.js';
import type { Engine, EngineMigration } from './types.js';

interface VersionedSpec {
  name: Engine['name'];
  layout: string;
  defaultDir: string;
  defaultCommand: string;
  ext: RegExp;
  /** Marker file of the project root the command runs in. */
  rootMarker: string;
  table: string;
  /** `SELECT ... AS id, ... AS at FROM table`. */
  historySql: string;
  /** The key the engine records for a file. */
  idOf(file: string, version: string): string;
  /** The SQL to lint for a file, when it is SQL. */
  sqlOf?(file: string, text: string): string | undefined;
  sqlSource: Engine['sqlSource'];
  deletedFilesIgnored?: string;
}

export function versionedEngine(spec: VersionedSpec): Engine {
  return {
    name: spec.name,
    layout: spec.layout,
    defaultDir: spec.defaultDir,
    defaultCommand: spec.defaultCommand,
    sqlSource: spec.sqlSource,
    ...(spec.deletedFilesIgnored ? { deletedFilesIgnored: spec.deletedFilesIgnored } : {}),
    root: (dirAbs, cwd) => findUp(dirAbs, cwd, spec.rootMarker),
    async list(cwd, dir, maxFileBytes) {
      const diagnostics: Diagnostic[] = [];
      const migrations: EngineMigration[] = [];
      for (const file of await listDir(cwd, dir, spec.layout)) {
        const parts = splitVersioned(file, spec.ext);
        if (!parts) {
          // Supabase skips it with a warning, knex and node-pg-migrate run every file: either way, say it is not counted.
          if (new RegExp(`${spec.ext.source}$`, 'i').test(file))
            diagnostics.push({
              severity: 'warning',
              code: 'migration/unrecognized-file',
              message: `${relative(cwd, join(cwd, dir, file))} has no version prefix: opsbook does not count it as a migration`,
              hint: `name it like the others (${spec.layout}), or move it out of the migrations folder`,
              location: { file: relative(cwd, join(cwd, dir, file)) },
            });
          continue;
        }
        const read = await readChecked(join(cwd, dir, file), cwd, diagnostics, maxFileBytes);
        if (!read) continue;
        migrations.push({
          id: spec.idOf(file, parts.version),
          version: parts.version,
          name: parts.name,
          path: join(cwd, dir, file),
          display: read.display,
          sql: spec.sqlOf?.(file, read.text),
        });
      }
      return { migrations, diagnostics: [...diagnostics, ...duplicateIds(migrations)] };
    },
    async readHistory(client) {
      const entries = await appliedIds(client, spec.table, spec.historySql);
      return entries && { table: spec.table, entries };
    },
  };
}

/**
 * Two files under one key: the engine records that key once, so one row would call both applied while one never ran
 * (and the engine itself refuses them: Rails' DuplicateMigrationVersionError, Ecto's "migrations can't be executed").
 */
function duplicateIds(migrations: readonly EngineMigration[]): Diagnostic[] {
  const first = new Map<string, EngineMigration>();
  const diagnostics: Diagnostic[] = [];
  for (const m of migrations) {
    const seen = first.get(m.id);
    if (!seen) first.set(m.id, m);
    else diagnostics.push(duplicateVersion(m, seen));
  }
  return diagnostics;
}

const noSql = (why: string, instead: string): Engine['sqlSource'] => ({
  kind: 'none',
  why: `${why}, so opsbook cannot see the statements they run. ${instead}`,
});

/** Ecto and Rails store versions as numbers or digit strings: compare them as numbers. */
const numeric = (_file: string, version: string) => BigInt(version).toString();

export const supabase = versionedEngine({
  name: 'supabase',
  layout: 'supabase/migrations/<YYYYMMDDHHMMSS>_<name>.sql files',
  defaultDir: 'supabase/migrations',
  defaultCommand: 'supabase db push --db-url "$DATABASE_URL"',
  ext: /\.sql/,
  rootMarker: 'supabase',
  table: 'supabase_migrations.schema_migrations',
  historySql: 'SELECT version::text AS id, NULL AS at FROM supabase_migrations.schema_migrations',
  idOf: (_file, version) => version,
  sqlOf: (_file, text) => text,
  sqlSource: { kind: 'files' },
});

export const rails = versionedEngine({
  name: 'rails',
  layout: 'db/migrate/<YYYYMMDDHHMMSS>_<name>.rb files',
  defaultDir: 'db/migrate',
  defaultCommand: 'bin/rails db:migrate',
  ext: /\.rb/,
  rootMarker: 'Gemfile',
  table: 'schema_migrations',
  historySql: 'SELECT version::text AS id, NULL AS at FROM schema_migrations',
  idOf: numeric,
  deletedFilesIgnored:
    '`rails db:migrate` ignores it (db:migrate:status shows NO FILE): fine if old migrations were removed on purpose, else check out the branch that has it',
  sqlSource: noSql(
    'Rails migrations are Ruby and `rails db:migrate` has no dry run that prints their SQL',
    'Add the strong_migrations gem (it stops unsafe operations when the migration runs, in CI and locally) and review `execute` SQL by hand.',
  ),
});

export const ecto = versionedEngine({
  name: 'ecto',
  layout: 'priv/repo/migrations/<YYYYMMDDHHMMSS>_<name>.exs files',
  defaultDir: 'priv/repo/migrations',
  defaultCommand: 'mix ecto.migrate',
  ext: /\.exs/,
  rootMarker: 'mix.exs',
  table: 'schema_migrations',
  historySql: 'SELECT version::text AS id, inserted_at::text AS at FROM schema_migrations',
  idOf: numeric,
  deletedFilesIgnored:
    '`mix ecto.migrate` ignores it (ecto.migrations shows FILE NOT FOUND): fine if old migrations were removed on purpose, else check out the branch that has it',
  sqlSource: noSql(
    'Ecto migrations are Elixir and `mix ecto.migrate` has no dry run (`--log-migrations-sql` logs the SQL only while applying it)',
    'Run the excellent_migrations Credo check in CI, and review `execute` SQL by hand.',
  ),
});

export const knex = versionedEngine({
  name: 'knex',
  layout: 'migrations/<timestamp>_<name>.js|ts files',
  defaultDir: 'migrations',
  defaultCommand: 'npx knex migrate:latest',
  ext: /\.(?:js|cjs|mjs|ts)/,
  rootMarker: 'package.json',
  table: 'knex_migrations',
  historySql: 'SELECT name AS id, migration_time::text AS at FROM knex_migrations',
  idOf: (file) => file,
  sqlSource: noSql(
    'knex migrations are JavaScript whose SQL is built as they run, and `knex migrate` has no dry run that prints it',
    'Review `knex.raw` SQL and schema-builder changes by hand.',
  ),
});

/** node-pg-migrate SQL files hold both directions; only the part before `-- Down Migration` runs on `up`. */
function upPart(file: string, text: string): string | undefined {
  if (!file.toLowerCase().endsWith('.sql')) return undefined;
  const down = /^\s*--\s*Down Migration\b/im.exec(text);
  return down ? text.slice(0, down.index) : text;
}

export const nodePgMigrate = versionedEngine({
  name: 'node-pg-migrate',
  layout: 'migrations/<timestamp>_<name>.js|ts|sql files',
  defaultDir: 'migrations',
  defaultCommand: 'npx node-pg-migrate up',
  ext: /\.(?:js|cjs|mjs|ts|sql)/,
  rootMarker: 'package.json',
  table: 'pgmigrations',
  historySql: 'SELECT name AS id, run_on::text AS at FROM pgmigrations',
  idOf: (file) => file.replace(/\.[^.]+$/, ''),
  sqlOf: upPart,
  sqlSource: {
    kind: 'files',
    code: 'they are JavaScript whose SQL is built as they run; `npx node-pg-migrate up --dry-run` prints it for review, or write risky changes as .sql migrations, which opsbook lints',
  },
});
