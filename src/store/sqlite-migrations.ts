/** The SQLite schema, as a versioned list applied in order at open and recorded in schema_migrations. */
import { SQLITE_ALERTING_MIGRATIONS } from './alerting-migrations.js';
import { SQLITE_INCIDENTS_MIGRATIONS } from './incidents-migrations.js';
import { assertNotNewer, type Migration } from './migrations.js';
import { SQLITE_MONITORING_MIGRATIONS } from './monitoring-migrations.js';
import type { SqliteDriver } from './sqlite-driver.js';

/** Append only: a released migration is never edited, a change is a new version. */
export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'runs, steps, events, locks, cache',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        environment TEXT,
        status TEXT NOT NULL,
        actor TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
      );
      CREATE INDEX runs_started ON runs (started_at DESC, id DESC);
      CREATE INDEX runs_kind_environment ON runs (kind, environment, started_at DESC);
      CREATE TABLE steps (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        detail TEXT
      );
      CREATE INDEX steps_run ON steps (run_id, started_at, id);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        level TEXT NOT NULL,
        type TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX events_run ON events (run_id, id);
      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT,
        reason TEXT
      );
      CREATE TABLE cache (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  ...SQLITE_MONITORING_MIGRATIONS,
  ...SQLITE_ALERTING_MIGRATIONS,
  ...SQLITE_INCIDENTS_MIGRATIONS,
];

/** Applies pending migrations in one write transaction, so processes opening together apply each once. */
export async function migrateSqlite(driver: SqliteDriver, migrations = SQLITE_MIGRATIONS): Promise<number> {
  return driver.transaction((tx) => {
    tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(tx.all('SELECT version FROM schema_migrations').map((r) => Number(r.version)));
    assertNotNewer(applied, migrations, driver.path);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      tx.exec(migration.sql);
      tx.all('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    return Math.max(0, ...migrations.map((m) => m.version));
  });
}
