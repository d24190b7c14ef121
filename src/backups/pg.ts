/**
 * PostgreSQL plumbing for backups: connections, the URL of another database on the same server, and the
 * environment for pg_dump/pg_restore. Passwords go to child processes through PGPASSWORD, never argv.
 */
import pg from 'pg';
import { UserError } from '../errors.js';
import { maskCredentials, scrubConnection, separatePassword } from '../redact/index.js';

export type PgClient = pg.Client;

export function requirePostgresUrl(url: string | undefined, variable: string): string {
  if (!url?.trim())
    throw new UserError(
      `${variable} is not set`,
      `set ${variable} to the database URL, e.g. postgres://user@host:5432/app`,
    );
  if (!/^postgres(ql)?:\/\//i.test(url.trim()))
    throw new UserError(`${variable} is not a PostgreSQL URL`, 'use postgres://user:password@host:5432/db');
  try {
    new URL(url.trim());
  } catch {
    // The URL itself stays out of the message: it may hold the password.
    throw new UserError(
      `${variable} is not a valid URL`,
      'use postgres://user:password@host:5432/db, with special characters in the password percent-encoded (@ as %40, / as %2F)',
    );
  }
  return url.trim();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || new URL(url).username || 'postgres';
}

/** The same server and credentials, another database. */
export function urlForDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Same host, port and database name: the one database a drill must never restore into. */
export function sameDatabase(a: string, b: string): boolean {
  const key = (url: string) => {
    const u = new URL(url);
    const host = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname) ? 'loopback' : u.hostname;
    return `${host}:${u.port || '5432'}/${databaseName(url)}`;
  };
  return key(a) === key(b);
}

/** URL for a child process: the password moved to PGPASSWORD. */
export function toolConnection(
  url: string,
  env: NodeJS.ProcessEnv,
): { dbname: string; env: NodeJS.ProcessEnv } {
  const { connection, password } = separatePassword(url);
  return { dbname: connection, env: { ...env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/**
 * A black-holed server (a dropped NAT flow, a dead proxy) fails a query within `queryMs` instead of hanging the backup
 * or drill: the server cannot time out a query it never receives. An hour covers a count or an invariant on a large
 * table; keepalive notices a peer that vanished while the snapshot connection sits idle beside pg_dump.
 */
const BACKUP_QUERY_TIMEOUT_MS = 3_600_000;

export async function connect(
  url: string,
  role: string,
  limits: { queryMs?: number } = {},
): Promise<PgClient> {
  const client = new pg.Client({
    connectionString: url,
    application_name: `opsbook-backup:${role}`,
    connectionTimeoutMillis: 5_000,
    query_timeout: limits.queryMs ?? BACKUP_QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new UserError(
      `cannot connect to ${maskCredentials(url)}: ${scrubConnection((error as Error).message, url)}`,
      'check that the server is running and the URL, user and password are right',
    );
  }
  return client;
}

export { quoteIdent } from '../sql/index.js';

export async function serverVersion(client: PgClient): Promise<{ text: string; major: number }> {
  const { rows } = await client.query<{ v: string; n: string }>(
    "SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n",
  );
  return { text: rows[0]?.v ?? '?', major: Math.floor(Number(rows[0]?.n ?? 0) / 10000) };
}
