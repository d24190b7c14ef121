/** The engines opsbook reads and drives, by the name used in `migrations.engine`. */
import { alembic } from './alembic.js';
import { django } from './django.js';
import { drizzle } from './drizzle.js';
import { other } from './other.js';
import { prisma } from './prisma.js';
import type { Engine, EngineName } from './types.js';
import { ecto, knex, nodePgMigrate, rails, supabase } from './versioned.js';

export type { Engine, EngineHistory, EngineHistoryEntry, EngineMigration, EngineName } from './types.js';

const ENGINES: Record<EngineName, Engine> = {
  prisma,
  supabase,
  alembic,
  django,
  rails,
  ecto,
  knex,
  drizzle,
  'node-pg-migrate': nodePgMigrate,
  other,
};

export function engineFor(name: string): Engine | undefined {
  return (ENGINES as Record<string, Engine>)[name];
}
