/** The PostgreSQL schema, as a versioned list applied at open under an advisory lock, recorded in schema_migrations. */

import { POSTGRES_ALERTING_MIGRATIONS } from './alerting-migrations.js';
import { POSTGRES_INCIDENTS_MIGRATIONS } from './incidents-migrations.js';
import { assertNotNewer, type Migration } from './migrations.js';
import { POSTGRES_MONITORING_MIGRATIONS } from './monitoring-migrations.js';
import type { PostgresDriver } from './postgres-driver.js';

/** Append only: a released migration is never edited, a change is a new version. */
export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'runs, steps, events, locks, cache',
    sql: `
      CREATE TABLE runs (
        id text PRIMARY KEY,
        kind text NOT NULL,
        environment text,
        status text NOT NULL,
        actor text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        summary jsonb
      );
      CREATE INDEX runs_started ON runs (started_at DESC, id DESC);
      CREATE INDEX runs_kind_environment ON runs (kind, environment, started_at DESC);
      CREATE TABLE steps (
        id text PRIMARY KEY,
        run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name text NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        detail jsonb
      );
      CREATE INDEX steps_run ON steps (run_id, started_at, id);
      CREATE TABLE events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        level text NOT NULL,
        type text NOT NULL,
        message text NOT NULL,
        data jsonb
      );
      CREATE INDEX events_run ON events (run_id, id);
      CREATE TABLE locks (
        name text PRIMARY KEY,
        holder text NOT NULL,
        acquired_at timestamptz NOT NULL,
        expires_at timestamptz,
        reason text
      );
      CREATE TABLE cache (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `,
  },
  ...POSTGRES_MONITORING_MIGRATIONS,
  ...POSTGRES_ALERTING_MIGRATIONS,
  ...POSTGRES_INCIDENTS_MIGRATIONS,
];

/**
 * Creates the schema and applies pending migrations in one transaction. A transaction-scoped advisory
 * lock keyed on the schema name makes processes that open at the same time take turns.
 */
export async function migratePostgres(
  driver: PostgresDriver,
  schema: string,
  migrations = POSTGRES_MIGRATIONS,
): Promise<number> {
  return driver.transaction(async (query) => {
    await query('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`opsbook:migrate:${schema}`]);
    await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await query(`SET LOCAL search_path TO "${schema}"`);
    await query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await query('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
    );
    assertNotNewer(applied, migrations, `schema "${schema}"`);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await query(migration.sql);
      await query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [
        migration.version,
        migration.name,
      ]);
    }
    return Math.max(0, ...migrations.map((m) => m.version));
  });
}
