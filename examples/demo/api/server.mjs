/**
 * The demo API: notes over the shared SQLite database, with liveness (/health), readiness (/ready) and deep
 * health (/api/health: the database with a real query, the worker by its heartbeat).
 *
 * Fault injection, to play a bad release: DEMO_FAIL_READY=1 never becomes ready; DEMO_BROKEN=1 breaks every
 * database access of requests (deep health 503, errors on /api/*) while staying live and ready.
 */
import { createServer } from 'node:http';
import { databasePath, openDatabase } from '../lib/db.mjs';
import { flagFromEnv, intFromEnv } from '../lib/env.mjs';
import { createLogger } from '../lib/log.mjs';

const log = createLogger('api');
const MAX_BODY_BYTES = 64 * 1024;
const HEALTH_QUERY_TIMEOUT_MS = 2_000;

let settings;
try {
  settings = {
    port: intFromEnv('PORT', 3000),
    staleAfterMs: intFromEnv('HEARTBEAT_STALE_MS', 15_000),
    failReady: flagFromEnv('DEMO_FAIL_READY'),
    broken: flagFromEnv('DEMO_BROKEN'),
    version: process.env.APP_VERSION || 'dev',
  };
} catch (error) {
  log.error('invalid settings', { error: error.message });
  process.exit(1);
}

/** Set once the database is open and its schema applied. */
let db;
let stopping = false;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Every database access made for a request goes through here, so DEMO_BROKEN breaks them all. */
function data() {
  if (settings.broken) throw new Error('simulated fault: DEMO_BROKEN is set');
  if (!db) throw new HttpError(503, 'database not open yet');
  return db;
}

async function checkDatabase() {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    await data().get('SELECT count(*) AS notes FROM notes', [], { timeoutMs: HEALTH_QUERY_TIMEOUT_MS });
    return { status: 'up', latency_ms: elapsed() };
  } catch (error) {
    return { status: 'down', latency_ms: elapsed(), error: error.message };
  }
}

async function checkWorker() {
  const started = performance.now();
  const row = await db.get(
    'SELECT worker, beat_at FROM worker_heartbeats ORDER BY beat_at DESC LIMIT 1',
    [],
    {
      timeoutMs: HEALTH_QUERY_TIMEOUT_MS,
    },
  );
  const latency_ms = Math.round((performance.now() - started) * 100) / 100;
  if (!row) return { status: 'down', latency_ms, error: 'no heartbeat recorded yet' };
  const age = Date.now() - Number(row.beat_at);
  return {
    status: age <= settings.staleAfterMs ? 'up' : 'stale',
    latency_ms,
    last_heartbeat_ms_ago: age,
    stale_after_ms: settings.staleAfterMs,
  };
}

/** The database is critical (down: unhealthy, 503); the worker is not (stale: degraded, still 200). */
async function deepHealth() {
  const database = await checkDatabase();
  const worker =
    database.status === 'up'
      ? await checkWorker().catch((error) => ({ status: 'unknown', error: error.message }))
      : { status: 'unknown' };
  const status = database.status !== 'up' ? 'unhealthy' : worker.status !== 'up' ? 'degraded' : 'healthy';
  return [
    status === 'unhealthy' ? 503 : 200,
    { status, version: settings.version, services: { database, worker } },
  ];
}

function readiness() {
  if (stopping) return [503, { status: 'not-ready', reason: 'shutting down' }];
  if (settings.failReady) return [503, { status: 'not-ready', reason: 'DEMO_FAIL_READY is set' }];
  if (!db) return [503, { status: 'not-ready', reason: 'database not open yet' }];
  return [200, { status: 'ready', version: settings.version }];
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

function toNote(row) {
  return {
    id: Number(row.id),
    body: row.body,
    created_at: new Date(Number(row.created_at)).toISOString(),
    indexed_at: row.indexed_at === null ? null : new Date(Number(row.indexed_at)).toISOString(),
    word_count: row.word_count,
  };
}

async function createNote(req) {
  const input = await readJson(req);
  const body = typeof input?.body === 'string' ? input.body.trim() : '';
  if (body.length < 1 || body.length > 2000)
    throw new HttpError(400, 'body must be a string of 1 to 2000 characters');
  const createdAt = Date.now();
  const info = await data().run('INSERT INTO notes (body, created_at) VALUES (?, ?)', [body, createdAt]);
  const row = { id: info.lastInsertRowid, body, created_at: createdAt, indexed_at: null, word_count: null };
  return [201, { note: toNote(row) }];
}

async function listNotes(url) {
  const limit = Math.min(Math.max(Number.parseInt(url.searchParams.get('limit') ?? '20', 10) || 20, 1), 100);
  const rows = await data().all(
    'SELECT id, body, created_at, indexed_at, word_count FROM notes ORDER BY id DESC LIMIT ?',
    [limit],
  );
  return [200, { notes: rows.map(toNote) }];
}

const ROUTES = {
  '/health': { GET: async () => [200, { status: 'ok', version: settings.version }] },
  '/ready': { GET: async () => readiness() },
  '/api/health': { GET: () => deepHealth() },
  '/api/notes': { GET: (_req, url) => listNotes(url), POST: (req) => createNote(req) },
};

async function route(req, url) {
  const methods = ROUTES[url.pathname];
  if (!methods) throw new HttpError(404, `no route for ${url.pathname}`);
  const handler = methods[req.method];
  if (!handler) throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
  return handler(req, url);
}

async function handleRequest(req, res) {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  let status;
  let body;
  try {
    [status, body] = await route(req, url);
  } catch (error) {
    status = error instanceof HttpError ? error.status : 500;
    body = { error: status === 500 ? 'internal error' : error.message };
    if (status >= 500)
      log.error('request failed', { method: req.method, path: url.pathname, error: error.message });
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  // Probes run every few seconds; logging them would drown the requests that matter.
  if (url.pathname !== '/health' && url.pathname !== '/ready')
    log.info('request', {
      method: req.method,
      path: url.pathname,
      status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    });
}

async function openWithRetry() {
  const path = databasePath();
  while (!stopping) {
    try {
      const opened = await openDatabase(path);
      db = opened.db;
      log.info('database ready', { path, applied: opened.applied });
      return;
    } catch (error) {
      log.error('cannot open database; retrying in 2s', { path, error: error.message });
      await new Promise((done) => setTimeout(done, 2_000));
    }
  }
}

const server = createServer((req, res) => {
  handleRequest(req, res).catch((error) => {
    log.error('response failed', { error: error.message });
    res.destroy();
  });
});

server.on('error', (error) => {
  log.error('cannot listen', { port: settings.port, error: error.message });
  process.exit(1);
});

server.listen(settings.port, () => {
  const { port } = server.address();
  log.info(`demo api listening on :${port}`, {
    port,
    fail_ready: settings.failReady,
    broken: settings.broken,
  });
  openWithRetry();
});

function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info('demo api stopping', { signal });
  // In-flight requests finish; a drain that hangs must not keep the process alive forever.
  setTimeout(() => process.exit(1), 10_000).unref();
  server.close(() => {
    db?.close();
    process.exit(0);
  });
  server.closeIdleConnections();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
