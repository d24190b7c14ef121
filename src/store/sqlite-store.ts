/** The embedded backend: a SQLite file (default `<cwd>/.opsbook/state.sqlite`). */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Redactor } from '../redact/index.js';
import type { SqlExecutor } from './sql-executor.js';
import { createSqlStore } from './sql-store.js';
import { openSqliteDriver, type SqliteDriverOptions } from './sqlite-driver.js';
import { migrateSqlite } from './sqlite-migrations.js';
import type { SqliteThread } from './sqlite-thread.js';
import type { JsonValue, Store } from './types.js';

export interface SqliteStoreOptions extends SqliteDriverOptions {
  path: string;
  /** The connection on a worker thread, so statements and commits never hold the event loop (`serve`). */
  thread?: boolean;
  redactor: Redactor;
  now: () => Date;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(dirname(options.path), { recursive: true });
  // The state dir (store, gate logs, backups) must never be committed, whether or not the repo ignores it.
  const ignore = join(dirname(options.path), '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# opsbook state: never commit it\n*\n');
  // The thread's module (and the worker machinery) loads only for the commands that ask for it.
  const connection = options.thread
    ? await (await import('./sqlite-thread.js')).openSqliteThread(options.path, driverOptions(options))
    : await inThread(options.path, options);
  const executor: SqlExecutor = {
    backend: 'sqlite',
    location: options.path,
    table: (name) => name,
    query: (sql, params) => connection.all(sql, params),
    batch: (statements) => connection.batch(statements),
    readJson: (value) => (value == null ? null : (JSON.parse(String(value)) as JsonValue)),
    readTime: (value) => (value == null ? null : String(value)),
    close: () => connection.close(),
  };
  return createSqlStore(executor, options);
}

/** The connection on this thread, as the threaded one's interface. */
async function inThread(path: string, options: SqliteDriverOptions): Promise<SqliteThread> {
  const driver = openSqliteDriver(path, options);
  try {
    await migrateSqlite(driver);
  } catch (error) {
    driver.close();
    throw error;
  }
  return {
    all: (sql, params) => driver.all(sql, params),
    batch: (statements) => driver.transaction((tx) => statements.map((s) => tx.all(s.sql, s.params))),
    close: async () => driver.close(),
  };
}

/** Only what the driver reads crosses to the thread (the redactor and clock cannot). */
function driverOptions(options: SqliteDriverOptions): SqliteDriverOptions {
  return {
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    ...(options.staleLockMs !== undefined ? { staleLockMs: options.staleLockMs } : {}),
  };
}
