// Fixture repositories in each engine's real layout, and the stand-in CLIs (engine-cli.mjs) on a PATH.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./engine-cli.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A bin folder whose `npx`, `supabase`, `alembic`, `python` and `mix` are the stand-in; prepend it to PATH. */
export async function standinBin(dir: string): Promise<string> {
  const bin = join(dir, '.standin-bin');
  await mkdir(bin, { recursive: true });
  for (const tool of ['npx', 'supabase', 'alembic', 'python', 'mix', 'rails']) {
    await writeFile(
      join(bin, tool),
      `#!/bin/sh\n# STAND-IN for ${tool} (see engine-cli.mjs)\nNODE_PATH=${join(repoRoot, 'node_modules')} exec "${process.execPath}" "${cli}" ${tool} "$@"\n`,
    );
    await chmod(join(bin, tool), 0o755);
  }
  return bin;
}

export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
    if (path === 'bin/rails') await chmod(join(root, path), 0o755);
  }
}

export interface EngineFixture {
  engine: string;
  /** Files of the repository before anything is applied: the first migration (creates `items`). */
  base: Record<string, string>;
  /** A safe second migration (adds a column). */
  second: Record<string, string>;
  /** An unsafe third one (a blocking index build on the existing table), to lint and then remove. */
  unsafe: Record<string, string>;
  /** Whether opsbook can see the SQL (files or a dry-run command), so lint flags the unsafe one. */
  linted: boolean;
  history: string;
}

const ADD = 'ALTER TABLE items ADD COLUMN note text';
const INDEX = 'CREATE INDEX items_name_idx ON items (name)';
const CREATE = 'CREATE TABLE items (id bigint, name text)';
const py = (rev: string, down: string | null, sql: string) =>
  `"""${rev}"""\nfrom alembic import op\n\nrevision = '${rev}'\ndown_revision = ${down ? `'${down}'` : 'None'}\n\ndef upgrade():\n    op.execute("${sql}")\n`;
const djangoMigration = (sql: string) =>
  `from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL("${sql}")]\n`;
const rb = (sql: string) =>
  `class M < ActiveRecord::Migration[7.1]\n  def up\n    execute "${sql}"\n  end\nend\n`;
const exs = (sql: string) =>
  `defmodule Repo.Migrations.M do\n  use Ecto.Migration\n  def up do\n    execute "${sql}"\n  end\nend\n`;
const knexJs = (sql: string) => `exports.up = (knex) => knex.raw("${sql}");\nexports.down = () => {};\n`;
const journal = (tags: string[]) =>
  JSON.stringify({
    version: '7',
    dialect: 'postgresql',
    entries: tags.map((tag, idx) => ({
      idx,
      version: '7',
      when: 1704067200000 + idx * 1000,
      tag,
      breakpoints: true,
    })),
  });
const pgm = (up: string, down: string) => `-- Up Migration\n${up};\n\n-- Down Migration\n${down};\n`;

export const FIXTURES: EngineFixture[] = [
  {
    engine: 'prisma',
    history: '_prisma_migrations',
    linted: true,
    base: {
      'package.json': '{}',
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': `${CREATE};\n`,
    },
    second: { 'prisma/migrations/20240201000000_note/migration.sql': `${ADD};\n` },
    unsafe: { 'prisma/migrations/20240301000000_index/migration.sql': `${INDEX};\n` },
  },
  {
    engine: 'supabase',
    history: 'supabase_migrations.schema_migrations',
    linted: true,
    base: {
      'supabase/config.toml': 'project_id = "x"\n',
      'supabase/migrations/20240101000000_init.sql': `${CREATE};\nINSERT INTO items VALUES (1, 'seed');\n`,
    },
    second: { 'supabase/migrations/20240201000000_note.sql': `${ADD};\n` },
    unsafe: { 'supabase/migrations/20240301000000_index.sql': `${INDEX};\n` },
  },
  {
    engine: 'alembic',
    history: 'alembic_version',
    linted: true,
    base: {
      'alembic.ini': '[alembic]\nscript_location = alembic\n',
      'alembic/versions/a1_init.py': py('a1', null, CREATE),
    },
    second: { 'alembic/versions/b2_note.py': py('b2', 'a1', ADD) },
    unsafe: { 'alembic/versions/c3_index.py': py('c3', 'b2', INDEX) },
  },
  {
    engine: 'django',
    history: 'django_migrations',
    linted: true,
    base: {
      'manage.py': '#!/usr/bin/env python\n',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': djangoMigration(CREATE),
    },
    second: { 'shop/migrations/0002_note.py': djangoMigration(ADD) },
    unsafe: { 'shop/migrations/0003_index.py': djangoMigration(INDEX) },
  },
  {
    engine: 'rails',
    history: 'schema_migrations',
    linted: false,
    base: {
      Gemfile: "source 'https://rubygems.org'\n",
      // In a real app bin/rails is the Rails binstub; here it forwards to the stand-in.
      'bin/rails': '#!/bin/sh\nexec rails "$@"\n',
      'db/migrate/20240101000000_create_items.rb': rb(CREATE),
    },
    second: { 'db/migrate/20240201000000_add_note.rb': rb(ADD) },
    unsafe: { 'db/migrate/20240301000000_index_items.rb': rb(INDEX) },
  },
  {
    engine: 'ecto',
    history: 'schema_migrations',
    linted: false,
    base: {
      'mix.exs': 'defmodule App.MixProject do\nend\n',
      'priv/repo/migrations/20240101000000_create_items.exs': exs(CREATE),
    },
    second: { 'priv/repo/migrations/20240201000000_add_note.exs': exs(ADD) },
    unsafe: { 'priv/repo/migrations/20240301000000_index_items.exs': exs(INDEX) },
  },
  {
    engine: 'knex',
    history: 'knex_migrations',
    linted: false,
    base: { 'package.json': '{}', 'migrations/20240101000000_init.js': knexJs(CREATE) },
    second: { 'migrations/20240201000000_note.js': knexJs(ADD) },
    unsafe: { 'migrations/20240301000000_index.js': knexJs(INDEX) },
  },
  {
    engine: 'drizzle',
    history: 'drizzle.__drizzle_migrations',
    linted: true,
    base: {
      'package.json': '{}',
      'drizzle/0000_init.sql': `${CREATE};\n`,
      'drizzle/meta/_journal.json': journal(['0000_init']),
    },
    second: {
      'drizzle/0001_note.sql': `${ADD};\n`,
      'drizzle/meta/_journal.json': journal(['0000_init', '0001_note']),
    },
    unsafe: {
      'drizzle/0002_index.sql': `${INDEX};\n`,
      'drizzle/meta/_journal.json': journal(['0000_init', '0001_note', '0002_index']),
    },
  },
  {
    engine: 'node-pg-migrate',
    history: 'pgmigrations',
    linted: true,
    base: { 'package.json': '{}', 'migrations/1704067200000_init.sql': pgm(CREATE, 'DROP TABLE items') },
    second: { 'migrations/1706745600000_note.sql': pgm(ADD, 'ALTER TABLE items DROP COLUMN note') },
    unsafe: { 'migrations/1709251200000_index.sql': pgm(INDEX, 'DROP INDEX items_name_idx') },
  },
];
