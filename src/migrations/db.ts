/** Connections to the target database; redact/ keeps its password out of every message. */
import pg from 'pg';
import { UserError } from '../errors.js';
import { maskCredentials, scrubConnection } from '../redact/index.js';
import type { MigrateOptions } from './options.js';

export type DbClient = pg.Client;

export function requireDatabaseUrl(options: MigrateOptions): string {
  const url = options.databaseUrl;
  // The driver reads anything else as a path under a host named 'base' and fails with a misleading DNS error.
  if (url && !/^postgres(ql)?:\/\//i.test(url.trim()))
    throw new UserError(
      `${maskCredentials(url)} is not a PostgreSQL URL`,
      'use postgres://user:password@host:5432/db (from --database-url or DATABASE_URL)',
      'migration/bad-database-url',
    );
  if (url) return url;
  throw new UserError(
    'no database to migrate',
    'pass --database-url postgres://user@host:5432/db, set DATABASE_URL, or name the database in opsbook.yaml',
    'migration/no-database',
  );
}

export async function connect(url: string, role: string): Promise<DbClient> {
  const client = new pg.Client({
    connectionString: url,
    application_name: `opsbook-migrate:${role}`,
    connectionTimeoutMillis: 5_000,
  });
  // A dropped connection must not crash the process; the next query reports it.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new UserError(
      `cannot connect to ${maskCredentials(url)}: ${scrubConnection((error as Error).message || String(error), url)}`,
      'check that the server is running and the URL, user and password are right',
      'migration/connection-failed',
    );
  }
  return client;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The server's version as `server_version_num`, e.g. 150020. */
export async function serverVersionNum(client: DbClient): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]?.v ?? 0);
}
