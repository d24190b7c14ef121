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
      // No example password: every message passes the redactor, which would print it as "user:[REDACTED]@".
      'use postgres://USER@HOST:5432/DB, with the password after USER: (from --database-url or DATABASE_URL)',
      'migration/bad-database-url',
    );
  // Surrounding whitespace (a secret pasted with its newline) is no part of a URL.
  if (url?.trim()) return url.trim();
  throw new UserError(
    'no database to migrate',
    'pass --database-url postgres://user@host:5432/db, set DATABASE_URL, or name the database in opsbook.yaml',
    'migration/no-database',
  );
}

/**
 * Bounds for every connection, so a black-holed server (a NAT that dropped the flow, a dead proxy) fails within a known
 * time instead of hanging: connect, each query (client side: the server cannot time out a query it never receives),
 * and a transaction left idle. TCP keepalive notices a peer that vanished while the connection was quiet.
 */
export const CONNECTION_LIMITS = {
  connectMs: 10_000,
  queryMs: 60_000,
  idleInTransactionMs: 600_000,
  keepAliveDelayMs: 10_000,
} as const;

const droppedBecause = new WeakMap<DbClient, { message: string; fromServer: boolean }>();

/**
 * Why a query failed on a dropped connection: its own error, unless that only says the client is no longer
 * queryable, when the reason the connection dropped is told instead.
 */
export function droppedReason(client: DbClient, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!/not queryable/i.test(message)) return message;
  return droppedBecause.get(client)?.message ?? message;
}

export async function connect(
  url: string,
  role: string,
  limits: { queryMs?: number } = {},
): Promise<DbClient> {
  let client: DbClient;
  try {
    client = new pg.Client({
      connectionString: url,
      application_name: `opsbook-migrate:${role}`,
      connectionTimeoutMillis: CONNECTION_LIMITS.connectMs,
      query_timeout: limits.queryMs ?? CONNECTION_LIMITS.queryMs,
      idle_in_transaction_session_timeout: CONNECTION_LIMITS.idleInTransactionMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: CONNECTION_LIMITS.keepAliveDelayMs,
    });
  } catch (error) {
    // The driver parses the URL here and throws a bare TypeError ("Invalid URL") for a port past 65535, a broken
    // IPv6 host or an unencoded '@' or '/' in the password: bad input, not a bug.
    throw new UserError(
      `${maskCredentials(url)} is not a valid URL: ${scrubConnection((error as Error).message || String(error), url)}`,
      'check the host and port, and percent-encode special characters in the user and password (@ as %40, / as %2F)',
      'migration/bad-database-url',
    );
  }
  // A dropped connection must not crash the process; the next query reports it. When the drop is noticed
  // between queries, that query only says the client "is not queryable": keep the reason, the server's own
  // (a FATAL with a SQLSTATE, e.g. an administrator's terminate) over the socket's "terminated unexpectedly".
  client.on('error', (error: Error & { code?: string }) => {
    const known = droppedBecause.get(client);
    if (!known || (!known.fromServer && error.code))
      droppedBecause.set(client, { message: error.message, fromServer: Boolean(error.code) });
  });
  try {
    await client.connect();
  } catch (error) {
    await closeClient(client);
    throw new UserError(
      `cannot connect to ${maskCredentials(url)}: ${scrubConnection((error as Error).message || String(error), url)}`,
      'check that the server is running and the URL, user and password are right',
      'migration/connection-failed',
    );
  }
  return client;
}

export { quoteIdent } from '../sql/index.js';

/** The server's version as `server_version_num`, e.g. 150020. */
export async function serverVersionNum(client: DbClient): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]?.v ?? 0);
}

/** Ends a connection without waiting on a server that no longer answers: a polite end, then the socket is destroyed. */
export async function closeClient(client: DbClient, waitMs = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = client.end().catch(() => {});
  const timedOut = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), waitMs);
  });
  const outcome = await Promise.race([ended, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') destroyClient(client);
}

/** Drops the socket at once: an in-flight query fails immediately instead of waiting for its timeout. */
export function destroyClient(client: DbClient): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/**
 * Whether an error means the connection itself is gone (dropped, timed out, terminated by the server) rather than a
 * statement failing: SQLSTATE class 08, the operator-intervention codes 57P01-57P05, or a driver/socket error.
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  if (/^08/.test(code) || /^57P0[1-5]$/.test(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code)) return false;
  return /Connection terminated|Query read timeout|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket|not queryable|Client was closed/i.test(
    `${code} ${e?.message ?? ''}`,
  );
}

/** Runs read-only work on a fresh connection; a connection lost midway is a clear error, not a crash. */
export async function withClient<T>(
  url: string,
  role: string,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  const client = await connect(url, role);
  try {
    return await work(client);
  } catch (error) {
    if (!isConnectionError(error)) throw error;
    throw new UserError(
      `the connection to ${maskCredentials(url)} was lost: ${scrubConnection((error as Error).message, url)}`,
      'nothing was changed; check the network and the server, then run the command again',
      'migration/connection-lost',
    );
  } finally {
    await closeClient(client);
  }
}
