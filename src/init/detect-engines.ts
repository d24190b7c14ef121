/**
 * The other migration engines opsbook reads, each by the files its own tooling writes: Django (manage.py and
 * <app>/migrations), Rails (Gemfile and db/migrate), Ecto (mix.exs and priv/repo/migrations), drizzle-kit (its journal),
 * knex (a knexfile) and node-pg-migrate (its dependency), with the command each documents for applying them.
 */
import { join } from 'node:path';
import { findDjangoApps } from '../migrations/index.js';
import { inDir, isDir, isFile, readText } from './files.js';
import type { DirContext, Finding, MigrationEngine } from './types.js';

interface Found {
  engine: MigrationEngine;
  dir: string;
  command: string;
  source: string;
}

async function find({ repo, dir }: DirContext): Promise<Found | undefined> {
  const at = (p: string) => inDir(dir, p);
  if (isFile(repo, at('manage.py'))) {
    if (findDjangoApps(join(repo, dir)).length)
      return {
        engine: 'django',
        dir: dir || '.',
        command: 'python manage.py migrate',
        source: at('manage.py'),
      };
  }
  if (isFile(repo, at('Gemfile')) && isDir(repo, at('db/migrate')))
    return {
      engine: 'rails',
      dir: at('db/migrate'),
      command: 'bin/rails db:migrate',
      source: at('db/migrate'),
    };
  if (isFile(repo, at('mix.exs')) && isDir(repo, at('priv/repo/migrations')))
    return {
      engine: 'ecto',
      dir: at('priv/repo/migrations'),
      command: 'mix ecto.migrate',
      source: at('priv/repo/migrations'),
    };
  if (isFile(repo, at('drizzle/meta/_journal.json')))
    return {
      engine: 'drizzle',
      dir: at('drizzle'),
      command: 'npx drizzle-kit migrate',
      source: at('drizzle/meta/_journal.json'),
    };
  const knexfile = ['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs'].find((f) =>
    isFile(repo, at(f)),
  );
  if (knexfile && isDir(repo, at('migrations')))
    return {
      engine: 'knex',
      dir: at('migrations'),
      command: 'npx knex migrate:latest',
      source: at(knexfile),
    };
  const pkg = await readText(repo, at('package.json'));
  if (pkg && /"node-pg-migrate"\s*:/.test(pkg) && isDir(repo, at('migrations')))
    return {
      engine: 'node-pg-migrate',
      dir: at('migrations'),
      command: 'npx node-pg-migrate up',
      source: at('package.json'),
    };
  return undefined;
}

export async function detectEngines(context: DirContext): Promise<Finding> {
  const found = await find(context);
  if (!found) return {};
  const { dir } = context;
  return {
    sources: [found.source],
    migrations: [
      {
        engine: found.engine,
        dir: found.dir,
        command: dir ? `cd ${dir} && ${found.command}` : found.command,
        root: dir,
        source: found.source,
      },
    ],
  };
}
