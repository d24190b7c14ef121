/**
 * The migration lock: a session-level advisory lock held by a dedicated, idle connection and acquired by polling
 * pg_try_advisory_lock. A blocking pg_advisory_lock waiter, or a transaction-scoped lock, deadlocks with CREATE INDEX
 * CONCURRENTLY (which waits for every open transaction, the waiter's included); polling holds no transaction open.
 * A killed runner's lock is released by the server when its session ends.
 *
 * That same release makes the lock losable: an idle-session timeout, a NAT or PgBouncer dropping the idle connection,
 * or a DBA killing idle sessions frees it while the runner is still working. So the holding connection has TCP
 * keepalive and a heartbeat (more frequent than the server's idle_session_timeout), notices its own end at once, and
 * the runner confirms the lock in pg_locks before each file and each statement that runs outside a transaction.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { closeClient, connect, type DbClient } from './db.js';

export interface MigrationLock {
  release(): Promise<void>;
  /** Why the lock is known to be gone, or undefined while it is believed held. */
  lost(): string | undefined;
  /** Called once when the lock connection fails, so in-flight work can be stopped. */
  onLost(listener: (reason: string) => void): void;
  /** Confirms through another connection that the lock's backend still holds it; returns why not, if not. */
  confirm(via: DbClient): Promise<string | undefined>;
}

export const HEARTBEAT = { intervalMs: 5_000, timeoutMs: 5_000 } as const;

export interface LockHolder {
  pid: number;
  application: string;
  client: string | null;
  since: string | null;
}

export type LockResult =
  | { ok: true; lock: MigrationLock }
  | { ok: false; holders: LockHolder[]; waitedMs: number };

/** The key is derived from the database and schema, so two apps sharing a server do not serialise each other. */
const KEY_SQL = "hashtextextended('opsbook:' || current_database() || ':' || $1::text, 0)";

export async function acquireMigrationLock(
  url: string,
  schema: string,
  options: {
    timeoutMs: number;
    pollMs?: number;
    onWait?: (holders: LockHolder[]) => void;
    signal?: AbortSignal;
  },
): Promise<LockResult> {
  const client = await connect(url, 'lock', { queryMs: HEARTBEAT.timeoutMs });
  const started = Date.now();
  let warned = false;
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${KEY_SQL}) AS ok`, [
        schema,
      ]);
      if (rows[0]?.ok) return { ok: true, lock: await holdLock(client, schema) };
      const waitedMs = Date.now() - started;
      if (waitedMs >= options.timeoutMs || options.signal?.aborted) {
        const holders = await lockHolders(client, schema);
        await closeClient(client);
        return { ok: false, holders, waitedMs };
      }
      if (!warned) {
        warned = true;
        options.onWait?.(await lockHolders(client, schema));
      }
      await sleep(options.pollMs ?? 250);
    }
  } catch (error) {
    await closeClient(client);
    throw error;
  }
}

async function holdLock(client: DbClient, schema: string): Promise<MigrationLock> {
  const { rows } = await client.query<{ pid: number; idle: string | null }>(
    "SELECT pg_backend_pid() AS pid, (SELECT setting FROM pg_settings WHERE name = 'idle_session_timeout') AS idle",
  );
  const pid = rows[0]?.pid ?? 0;
  // idle_session_timeout (PostgreSQL 14+, in ms) would end the idle lock session: beat well inside it.
  const idleMs = Number(rows[0]?.idle ?? 0);
  const interval =
    idleMs > 0 ? Math.max(100, Math.min(HEARTBEAT.intervalMs, Math.floor(idleMs / 3))) : HEARTBEAT.intervalMs;
  let lostReason: string | undefined;
  let releasing = false;
  const listeners: ((reason: string) => void)[] = [];
  const markLost = (reason: string) => {
    if (lostReason || releasing) return;
    lostReason = reason;
    clearInterval(timer);
    for (const listener of listeners) listener(reason);
  };
  client.on('error', (error: Error) => markLost(`the lock connection failed: ${error.message}`));
  client.on('end', () => markLost('the lock connection was closed by the server or the network'));
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    client
      .query('SELECT 1')
      .catch((error: Error) => markLost(`the lock connection stopped answering: ${error.message}`))
      .finally(() => {
        beating = false;
      });
  }, interval);
  timer.unref();
  return {
    lost: () => lostReason,
    onLost: (listener) => {
      listeners.push(listener);
    },
    async confirm(via) {
      if (lostReason) return lostReason;
      const { rows: held } = await via.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = $2 AND l.locktype = 'advisory' AND l.granted
            AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = ${KEY_SQL}) AS held`,
        [schema, pid],
      );
      if (held[0]?.held) return undefined;
      markLost(`backend ${pid} no longer holds the migration lock (pg_locks)`);
      return lostReason;
    },
    async release() {
      releasing = true;
      clearInterval(timer);
      try {
        if (!lostReason) await client.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [schema]);
      } finally {
        await closeClient(client);
      }
    },
  };
}

/** Who holds the lock, to print when waiting gives up. */
async function lockHolders(client: DbClient, schema: string): Promise<LockHolder[]> {
  const { rows } = await client.query<LockHolder>(
    `SELECT a.pid, coalesce(a.application_name, '') AS application, a.client_addr::text AS client,
            a.backend_start::text AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND ((l.classid::bigint << 32) | l.objid::bigint) = ${KEY_SQL}`,
    [schema],
  );
  return rows;
}
