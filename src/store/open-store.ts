/** Picks the backend: PostgreSQL when OPSBOOK_DATABASE_URL is set, else the SQLite file under `.opsbook/`. */
import { join } from 'node:path';
import { createRedactor, type Redactor } from '../redact/index.js';
import { DATABASE_URL_VAR, parseDatabaseUrl } from './database-url.js';
import type { SqliteDriverOptions } from './sqlite-driver.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** The output redactor: every string the store writes passes through it. */
  redactor?: Redactor;
  /** PostgreSQL schema holding the tables. Default `opsbook`. */
  schema?: string;
  /** The clock, for lock expiry and default timestamps. */
  now?: () => Date;
  /** SQLite only: how long to wait for another process, when a lock counts as stale; `thread` for long runs. */
  sqlite?: SqliteDriverOptions & { thread?: boolean };
}

export const SQLITE_PATH = join('.opsbook', 'state.sqlite');

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const redactor = options.redactor ?? createRedactor();
  const now = options.now ?? (() => new Date());
  const url = options.env[DATABASE_URL_VAR];
  if (url?.trim()) {
    // Loaded only in team mode: the embedded path never pays for `pg`.
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore({ url: parseDatabaseUrl(url), schema: options.schema, redactor, now });
  }
  const { openSqliteStore } = await import('./sqlite-store.js');
  return openSqliteStore({ ...options.sqlite, path: join(options.cwd, SQLITE_PATH), redactor, now });
}
