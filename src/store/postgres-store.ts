/** Team mode: the store in a dedicated schema (default `opsbook`) of the PostgreSQL at OPSBOOK_DATABASE_URL. */
import { UserError } from '../errors.js';
import type { Redactor } from '../redact/index.js';
import { DATABASE_URL_VAR, type DatabaseUrl } from './database-url.js';
import { createPostgresDriver } from './postgres-driver.js';
import { migratePostgres } from './postgres-migrations.js';
import type { SqlExecutor } from './sql-executor.js';
import { createSqlStore } from './sql-store.js';
import type { JsonValue, Store } from './types.js';

export const DEFAULT_SCHEMA = 'opsbook';

export interface PostgresStoreOptions {
  url: DatabaseUrl;
  schema?: string;
  redactor: Redactor;
  now: () => Date;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new UserError(
      `invalid PostgreSQL schema name '${schema}' for the state store`,
      'use lower-case letters, digits and underscores',
      'store/bad-schema',
    );
  }
  const { redactor } = options;
  redactor.add([options.url.password]);
  const driver = createPostgresDriver(options.url.url);
  try {
    await driver.ping().catch((error: unknown) => {
      throw new UserError(
        `cannot connect to the PostgreSQL state store ${DATABASE_URL_VAR}=${options.url.masked}: ${redactor.redact(describe(error))}`,
        `check that the server is running and reachable and the user, password and database in ${DATABASE_URL_VAR} are right, or unset ${DATABASE_URL_VAR} to use the local SQLite store`,
        'store/unreachable',
      );
    });
    await migratePostgres(driver, schema).catch((error: unknown) => {
      if ((error as { code?: string }).code !== '42501') throw error;
      throw new UserError(
        `the PostgreSQL user in ${DATABASE_URL_VAR} may not create the state store's schema "${schema}": ${redactor.redact(describe(error))}`,
        `grant it CREATE on the database, or create the schema "${schema}" owned by that user`,
        'store/permission-denied',
      );
    });
  } catch (error) {
    await driver.close();
    throw error;
  }

  const executor: SqlExecutor = {
    backend: 'postgres',
    location: options.url.masked,
    table: (name) => `"${schema}".${name}`,
    query: driver.query,
    batch: (statements) =>
      driver.transaction(async (query) => {
        const results = [];
        for (const s of statements) results.push(await query(s.sql, s.params));
        return results;
      }),
    readJson: (value) => (value === undefined ? null : (value as JsonValue)),
    readTime: (value) =>
      value == null ? null : (value instanceof Date ? value : new Date(String(value))).toISOString(),
    close: () => driver.close(),
  };
  return createSqlStore(executor, options);
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return describe(error.errors[0]);
  return error instanceof Error
    ? error.message || (error as { code?: string }).code || error.name
    : String(error);
}
