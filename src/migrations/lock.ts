/**
 * The migration lock: a session-level advisory lock held by a dedicated, idle connection and acquired by polling
 * pg_try_advisory_lock. A blocking pg_advisory_lock waiter, or a transaction-scoped lock, deadlocks with CREATE INDEX
 * CONCURRENTLY (which waits for every open transaction, the waiter's included); polling holds no transaction open.
 * A killed runner's lock is released by the server when its session ends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type DbClient } from './db.js';

export interface MigrationLock {
  release(): Promise<void>;
}

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
  const client = await connect(url, 'lock');
  const started = Date.now();
  let warned = false;
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${KEY_SQL}) AS ok`, [
        schema,
      ]);
      if (rows[0]?.ok) {
        return { ok: true, lock: { release: () => releaseLock(client, schema) } };
      }
      const waitedMs = Date.now() - started;
      if (waitedMs >= options.timeoutMs || options.signal?.aborted) {
        const holders = await lockHolders(client, schema);
        await client.end().catch(() => {});
        return { ok: false, holders, waitedMs };
      }
      if (!warned) {
        warned = true;
        options.onWait?.(await lockHolders(client, schema));
      }
      await sleep(options.pollMs ?? 250);
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

async function releaseLock(client: DbClient, schema: string): Promise<void> {
  try {
    await client.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [schema]);
  } finally {
    await client.end().catch(() => {});
  }
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
