/**
 * The demo's database: an SQLite file shared by the api and the worker (node-sqlite3-wasm).
 *
 * The package's file VFS locks the whole database across processes by creating `<db>.lock` and fails at once
 * with "database is locked" when another process holds it; so every statement retries with a short backoff.
 * A lock directory much older than any statement belongs to a killed process and is removed.
 */
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import sqlite from 'node-sqlite3-wasm';

const DEMO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const STALE_LOCK_MS = 10_000;

/**
 * The embedded schema: the SQLite form of migrations/*.sql (which hold the Postgres schema that opsbook's
 * migration runner applies). Each process applies what is missing at start, under the database lock.
 */
const SCHEMA = [
  {
    version: 1,
    name: '001_create_notes',
    sql: `CREATE TABLE notes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
      created_at INTEGER NOT NULL,
      indexed_at INTEGER
    )`,
  },
  {
    version: 2,
    name: '002_word_count_and_heartbeats',
    sql: `ALTER TABLE notes ADD COLUMN word_count INTEGER;
      CREATE TABLE worker_heartbeats (worker TEXT PRIMARY KEY, pid INTEGER, beat_at INTEGER NOT NULL)`,
  },
];

export function databasePath() {
  return resolve(process.env.DATABASE_PATH || resolve(DEMO_ROOT, '.data/demo.sqlite'));
}

/** Opens the database and applies the missing schema versions; returns the handle and the versions applied. */
export async function openDatabase(path) {
  mkdirSync(dirname(path), { recursive: true });
  const db = new sqlite.Database(path);
  const retry = (work, timeoutMs) => withBusyRetry(path, work, timeoutMs);
  const handle = {
    path,
    all: (sql, params = [], { timeoutMs } = {}) => retry(() => db.all(sql, params), timeoutMs),
    get: (sql, params = [], { timeoutMs } = {}) => retry(() => db.get(sql, params), timeoutMs),
    run: (sql, params = [], { timeoutMs } = {}) => retry(() => db.run(sql, params), timeoutMs),
    /** Runs `work(db)` synchronously inside BEGIN IMMEDIATE ... COMMIT. */
    transaction: (work) =>
      retry(() => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = work(db);
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
  try {
    const applied = await handle.transaction(applySchema);
    return { db: handle, applied };
  } catch (error) {
    handle.close();
    throw error;
  }
}

function applySchema(db) {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const done = new Set(db.all('SELECT version FROM schema_migrations').map((row) => row.version));
  const applied = [];
  for (const step of SCHEMA) {
    if (done.has(step.version)) continue;
    db.exec(step.sql);
    db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      step.version,
      step.name,
      Date.now(),
    ]);
    applied.push(step.name);
  }
  return applied;
}

async function withBusyRetry(path, work, timeoutMs = 10_000) {
  const started = Date.now();
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      return work();
    } catch (error) {
      if (!String(error?.message).startsWith('database is locked')) throw error;
      if (Date.now() - started > timeoutMs)
        throw new Error(`database ${path} stayed locked for ${timeoutMs} ms`);
      removeStaleLock(`${path}.lock`);
      await sleep(delay + Math.random() * delay);
    }
  }
}

function removeStaleLock(lockDir) {
  try {
    if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS) rmdirSync(lockDir);
  } catch {
    // Gone already: its holder released it, or another process removed it.
  }
}
