/**
 * The demo worker: "indexes" queued notes (counts their words) and writes a heartbeat row every few seconds,
 * which the api's deep health reads: no recent heartbeat means the stack is degraded.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { databasePath, openDatabase } from '../lib/db.mjs';
import { intFromEnv } from '../lib/env.mjs';
import { createLogger } from '../lib/log.mjs';

const log = createLogger('worker');
const BATCH_SIZE = 20;

let settings;
try {
  settings = {
    heartbeatMs: intFromEnv('HEARTBEAT_INTERVAL_MS', 5_000),
    pollMs: intFromEnv('WORKER_POLL_MS', 1_000),
    name: process.env.WORKER_NAME || 'worker',
  };
} catch (error) {
  log.error('invalid settings', { error: error.message });
  process.exit(1);
}

let db;
try {
  ({ db } = await openDatabase(databasePath()));
} catch (error) {
  log.error('cannot open database', { path: databasePath(), error: error.message });
  process.exit(1);
}

const stopped = new AbortController();

async function beat() {
  await db.run(
    `INSERT INTO worker_heartbeats (worker, pid, beat_at) VALUES (?, ?, ?)
     ON CONFLICT (worker) DO UPDATE SET pid = excluded.pid, beat_at = excluded.beat_at`,
    [settings.name, process.pid, Date.now()],
  );
}

function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Claims and indexes one batch in a transaction, so two workers never index the same note twice. */
function indexBatch() {
  return db.transaction((tx) => {
    const rows = tx.all('SELECT id, body FROM notes WHERE indexed_at IS NULL ORDER BY id LIMIT ?', [
      BATCH_SIZE,
    ]);
    const now = Date.now();
    for (const row of rows)
      tx.run('UPDATE notes SET word_count = ?, indexed_at = ? WHERE id = ?', [
        countWords(row.body),
        now,
        row.id,
      ]);
    return rows.length;
  });
}

async function runQueue() {
  while (!stopped.signal.aborted) {
    try {
      const count = await indexBatch();
      if (count > 0) log.info('indexed notes', { count });
      if (count === BATCH_SIZE) continue;
    } catch (error) {
      log.error('indexing failed', { error: error.message });
    }
    await sleep(settings.pollMs, undefined, { signal: stopped.signal }).catch(() => {});
  }
}

async function runHeartbeat() {
  while (!stopped.signal.aborted) {
    await sleep(settings.heartbeatMs, undefined, { signal: stopped.signal }).catch(() => {});
    if (stopped.signal.aborted) return;
    await beat().catch((error) => log.error('heartbeat failed', { error: error.message }));
  }
}

await beat();
log.info('demo worker started', {
  worker: settings.name,
  host: hostname(),
  heartbeat_ms: settings.heartbeatMs,
});
const loops = Promise.all([runQueue(), runHeartbeat()]);

async function stop(signal) {
  if (stopped.signal.aborted) return;
  log.info('demo worker stopping', { signal });
  stopped.abort();
  await loops;
  db.close();
  process.exit(0);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
