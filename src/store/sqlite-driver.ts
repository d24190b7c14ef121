/**
 * The only module that touches node-sqlite3-wasm (SQLite compiled to WASM, synchronous API).
 *
 * Cross-process locking: the package's Node VFS locks by `mkdir <db>.lock` on the first lock any
 * connection takes (even a read's SHARED lock) and removes the directory when the lock drops to NONE.
 * That is an atomic whole-database mutex across processes, but a second process gets SQLITE_BUSY
 * ("database is locked") at once, and a process killed while holding it leaves the directory behind.
 * So every statement and transaction here retries on BUSY with a short async backoff, and a lock
 * directory older than `staleLockMs` (statements hold it for milliseconds) is taken to be a crashed
 * holder's and removed. WAL is unavailable (no shared memory), so the journal stays in DELETE mode.
 *
 * Durability: `synchronous = NORMAL`, not SQLite's default FULL. Every write transaction still fsyncs the
 * rollback journal before it touches the database and the database before it deletes the journal (the commit
 * point), so a committed transaction survives the loss of the process (the crash model the crash-matrix tests
 * kill with SIGKILL: there nothing written needs an fsync at all, the kernel holds it). FULL only adds a second
 * fsync of the journal before its header's record count is written, against a power loss that keeps the header
 * but not the records; SQLite checksums journal records, and documents the corruption risk of NORMAL in this mode
 * as one of "an older filesystem". It cost a third of the fsyncs (a CLI deploy: 141 -> 94).
 */
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import type { Database } from 'node-sqlite3-wasm';
import { UserError } from '../errors.js';
import { backoffDelay, sleep } from '../timing/index.js';
import { setV8Flags } from '../vendor/index.js';
import type { Row, SqlParam, SqlScalar } from './sql-executor.js';
import { MERGE_BINS, mergeBins } from './sqlite-functions.js';

let DatabaseClass: typeof Database | undefined;

/**
 * node-sqlite3-wasm, loaded on the first open. A command on the main thread runs a few dozen statements, and by
 * default V8 recompiles the hot functions of SQLite's 1.3 MB of WASM with its optimising compiler, which that never
 * pays back: `check` of the demo spent 707 ms of CPU with it and 392 ms on V8's baseline compiler alone, `status` 500
 * and 242 ms. So the main thread compiles it with the baseline compiler only (the flag must be set before it
 * compiles, and is process-wide). `serve` runs its store on a thread of its own for as long as it runs
 * (sqlite-thread.ts): there the optimised code earns its compile, and the flag is left alone.
 */
function databaseClass(): typeof Database {
  if (!DatabaseClass) {
    if (isMainThread) setV8Flags('--liftoff-only');
    DatabaseClass = (createRequire(import.meta.url)('node-sqlite3-wasm') as { Database: typeof Database })
      .Database;
  }
  return DatabaseClass;
}

export interface SqliteDriverOptions {
  /** Give up waiting for another process after this long. Default 60 s. */
  busyTimeoutMs?: number;
  /** A lock directory older than this belongs to a crashed process. Default 30 s. */
  staleLockMs?: number;
}

/** Synchronous access inside a transaction: nothing else can run on the connection meanwhile. */
export interface SqliteTransaction {
  exec(sql: string): void;
  all(sql: string, params?: SqlParam[]): Row[];
}

export interface SqliteDriver {
  readonly path: string;
  all(sql: string, params?: SqlParam[]): Promise<Row[]>;
  /** Runs `fn` inside BEGIN IMMEDIATE ... COMMIT, rolled back if it throws, retried whole on BUSY. */
  transaction<T>(fn: (tx: SqliteTransaction) => T): Promise<T>;
  close(): void;
}

/** SQLite binds scalars only: the store's row statements send it VALUES lists, never arrays (monitoring-sql.ts). */
function scalars(params: readonly SqlParam[]): SqlScalar[] {
  for (const p of params) if (Array.isArray(p)) throw new TypeError('SQLite cannot bind an array parameter');
  return params as SqlScalar[];
}

export function openSqliteDriver(path: string, options: SqliteDriverOptions = {}): SqliteDriver {
  const busyTimeoutMs = options.busyTimeoutMs ?? 60_000;
  const staleLockMs = options.staleLockMs ?? 30_000;
  const db = new (databaseClass())(path);
  db.function(MERGE_BINS, mergeBins, { deterministic: true });
  // Set on first use, under the busy retry: the pragma reads the schema, which takes the lock.
  let tuned = false;
  const tx: SqliteTransaction = {
    exec: (sql) => db.exec(sql),
    all: (sql, params = []) => db.all(sql, scalars(params)) as Row[],
  };

  const withBusyRetry = async <T>(attempt: () => T): Promise<T> => {
    const started = Date.now();
    for (let tries = 1; ; tries++) {
      try {
        if (!tuned) {
          // A 16 MiB page cache (default 2 MiB): a monitor engine's commit of 1,000 results touches pages all
          // over its tables, which spilled and were read back again (half the system time of those commits).
          db.exec('PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384');
          tuned = true;
        }
        return attempt();
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (breakStaleLock(path, staleLockMs)) continue;
        if (Date.now() - started > busyTimeoutMs) throw busyError(path, busyTimeoutMs);
        // 2-4 ms, doubling to 50-100 ms: short, because a writer holds the lock only for one statement or transaction.
        await sleep(backoffDelay(tries, { baseMs: 4, maxMs: 100, jitter: 'equal' }));
      }
    }
  };

  return {
    path,
    all: (sql, params = []) => withBusyRetry(() => db.all(sql, scalars(params)) as Row[]),
    transaction: (fn) =>
      withBusyRetry(() => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = fn(tx);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => {
      if (db.isOpen) db.close();
    },
  };
}

function isBusy(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('database is locked');
}

function ageMs(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Removes a crashed holder's lock directory. A second directory serialises the breakers, and the age
 * is checked again under it so a lock that was just released and retaken is never removed.
 */
function breakStaleLock(dbPath: string, staleLockMs: number): boolean {
  const lockDir = `${dbPath}.lock`;
  const breakerDir = `${dbPath}.lock-break`;
  if ((ageMs(lockDir) ?? 0) < staleLockMs) return false;
  try {
    mkdirSync(breakerDir);
  } catch {
    // Another process is breaking it, or one died doing so (the breaker is held for microseconds).
    if ((ageMs(breakerDir) ?? 0) >= staleLockMs) removeDir(breakerDir);
    return false;
  }
  try {
    if ((ageMs(lockDir) ?? 0) < staleLockMs) return false;
    rmdirSync(lockDir);
    return true;
  } catch {
    return false;
  } finally {
    removeDir(breakerDir);
  }
}

function removeDir(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Already gone: another process got there first.
  }
}

function busyError(path: string, busyTimeoutMs: number): UserError {
  return new UserError(
    `the state store ${path} stayed locked by another process for ${Math.round(busyTimeoutMs / 1000)} s`,
    `if no other opsbook process is running, remove the directory ${path}.lock (and ${path}.lock-break if present)`,
    'store/locked',
  );
}
