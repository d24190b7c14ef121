import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'libpg-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';

const DEMO = fileURLToPath(new URL('.', import.meta.url));
const STALE_MS = 1_000;

interface Started {
  child: ChildProcess;
  match: RegExpMatchArray;
  output: string[];
}

const children: ChildProcess[] = [];

/** Starts a demo process and resolves once a log line matches `ready`; rejects if it exits first. */
function start(script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, [script], { cwd: DEMO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not log ${ready}:\n${output.join('')}`)),
      15_000,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = output.join('').match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output.join('')}`));
    });
  });
}

async function startApi(env: NodeJS.ProcessEnv): Promise<{ base: string; started: Started }> {
  const started = await start('api/server.mjs', { ...env, PORT: '0' }, /demo api listening on :(\d+)/);
  return { base: `http://127.0.0.1:${started.match[1]}`, started };
}

interface Note {
  id: number;
  body: string;
  indexed_at: string | null;
  word_count: number | null;
}

interface Body {
  status: string;
  version?: string;
  reason?: string;
  notes: Note[];
  services: {
    database: { status: string; latency_ms: number; error?: string };
    worker: { status: string; last_heartbeat_ms_ago?: number };
  };
}

interface Reply {
  status: number;
  body: Body;
}

async function get(url: string): Promise<Reply> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Body };
}

/** Polls until `accept` holds or the time is up, and returns the last reply for the assertions. */
async function waitFor(url: string, accept: (reply: Reply) => boolean, timeoutMs = 10_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  let last = await get(url);
  while (!accept(last) && Date.now() < deadline) {
    await sleep(100);
    last = await get(url);
  }
  return last;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('the demo app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-demo-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: join(dir, 'demo.sqlite'),
    APP_VERSION: 'test-1',
    HEARTBEAT_INTERVAL_MS: '200',
    HEARTBEAT_STALE_MS: String(STALE_MS),
    WORKER_POLL_MS: '100',
  };
  let worker: Started;
  let base: string;

  beforeAll(async () => {
    worker = await start('worker/worker.mjs', env, /demo worker started/);
    ({ base } = await startApi(env));
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers liveness with status ok and its version', async () => {
    expect(await get(`${base}/health`)).toEqual({ status: 200, body: { status: 'ok', version: 'test-1' } });
  });

  it('becomes ready once its database is open and migrated', async () => {
    const ready = await waitFor(`${base}/ready`, (r) => r.status === 200);
    expect(ready).toEqual({ status: 200, body: { status: 'ready', version: 'test-1' } });
  });

  it('reports healthy with the database latency and a fresh worker heartbeat', async () => {
    const { status, body } = await get(`${base}/api/health`);
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.services.database.status).toBe('up');
    expect(body.services.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(body.services.worker.status).toBe('up');
    expect(body.services.worker.last_heartbeat_ms_ago).toBeLessThanOrEqual(STALE_MS);
  });

  it('stores notes, lists them newest first, and the worker indexes them', async () => {
    const post = async (text: unknown) =>
      fetch(`${base}/api/notes`, { method: 'POST', body: JSON.stringify({ body: text }) });
    const first = await post('ship the demo');
    expect(first.status).toBe(201);
    const created = ((await first.json()) as { note: Note }).note;
    expect(created.body).toBe('ship the demo');
    expect((await post('watch it roll back cleanly')).status).toBe(201);

    const indexed = await waitFor(`${base}/api/notes`, (r) =>
      r.body.notes.every((n) => n.indexed_at !== null),
    );
    expect(indexed.body.notes.map((n) => [n.body, n.word_count])).toEqual([
      ['watch it roll back cleanly', 5],
      ['ship the demo', 3],
    ]);
  });

  it('rejects a note without a body and a body that is not JSON', async () => {
    const empty = await fetch(`${base}/api/notes`, { method: 'POST', body: JSON.stringify({ body: '  ' }) });
    expect(empty.status).toBe(400);
    const garbage = await fetch(`${base}/api/notes`, { method: 'POST', body: '{not json' });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ error: 'body is not valid JSON' });
  });

  it('turns degraded (still 200) once the worker has stopped past the staleness limit', async () => {
    expect(await stop(worker.child)).toBe(0);
    expect(worker.output.join('')).toContain('demo worker stopping');
    const degraded = await waitFor(`${base}/api/health`, (r) => r.body.status !== 'healthy', STALE_MS * 5);
    expect(degraded.status).toBe(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.services.worker.status).toBe('stale');
    expect(degraded.body.services.database.status).toBe('up');
  });

  it('with DEMO_FAIL_READY stays live but never ready', async () => {
    const { base: failing, started } = await startApi({ ...env, DEMO_FAIL_READY: '1' });
    expect((await get(`${failing}/health`)).status).toBe(200);
    await waitFor(`${failing}/api/notes`, (r) => r.status === 200);
    const ready = await get(`${failing}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toContain('DEMO_FAIL_READY');
    await stop(started.child);
  });

  it('with DEMO_BROKEN is ready but unhealthy (503) and fails /api requests', async () => {
    const { base: broken, started } = await startApi({ ...env, DEMO_BROKEN: '1' });
    expect((await waitFor(`${broken}/ready`, (r) => r.status === 200)).status).toBe(200);
    const health = await get(`${broken}/api/health`);
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('unhealthy');
    expect(health.body.services.database).toMatchObject({
      status: 'down',
      error: expect.stringContaining('DEMO_BROKEN'),
    });
    expect((await get(`${broken}/api/notes`)).status).toBe(500);
    expect(started.output.join('')).toMatch(/"level":"error".*simulated fault/);
    await stop(started.child);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const { started } = await startApi(env);
    expect(await stop(started.child)).toBe(0);
    expect(started.output.join('')).toContain('demo api stopping');
  });
});

describe('the demo stack files', () => {
  it('opsbook.yaml validates with no errors and no warnings', async () => {
    const result = await loadConfig({ cwd: DEMO, file: 'opsbook.yaml' });
    expect(result.diagnostics).toEqual([]);
    expect(Object.keys(result.config?.services ?? {})).toEqual(['api', 'worker', 'db']);
  });

  it('the Postgres migrations parse with the real Postgres parser', async () => {
    const files = readdirSync(join(DEMO, 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(files).toEqual(['001_create_notes.sql', '002_word_count_and_heartbeats.sql']);
    for (const file of files) {
      const tree = await parse(readFileSync(join(DEMO, 'migrations', file), 'utf8'));
      expect(tree.stmts?.length, file).toBeGreaterThan(0);
    }
  });
});
