/** The embedded backend: a SQLite file (default `<cwd>/.opsbook/state.sqlite`). */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Redactor } from '../redact/index.js';
import type { SqlExecutor } from './sql-executor.js';
import { createSqlStore } from './sql-store.js';
import { openSqliteDriver, type SqliteDriverOptions } from './sqlite-driver.js';
import { migrateSqlite } from './sqlite-migrations.js';
import type { JsonValue, Store } from './types.js';

export interface SqliteStoreOptions extends SqliteDriverOptions {
  path: string;
  redactor: Redactor;
  now: () => Date;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(dirname(options.path), { recursive: true });
  // The state dir (store, gate logs, backups) must never be committed, whether or not the repo ignores it.
  const ignore = join(dirname(options.path), '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# opsbook state: never commit it\n*\n');
  const driver = openSqliteDriver(options.path, options);
  try {
    await migrateSqlite(driver);
  } catch (error) {
    driver.close();
    throw error;
  }
  const executor: SqlExecutor = {
    backend: 'sqlite',
    location: options.path,
    table: (name) => name,
    query: (sql, params) => driver.all(sql, params),
    batch: (statements) => driver.transaction((tx) => statements.map((s) => tx.all(s.sql, s.params))),
    readJson: (value) => (value == null ? null : (JSON.parse(String(value)) as JsonValue)),
    readTime: (value) => (value == null ? null : String(value)),
    close: async () => driver.close(),
  };
  return createSqlStore(executor, options);
}
