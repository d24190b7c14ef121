/**
 * The supervisor daemon: one per stack directory, detached from the opsbook process that started it, so releases
 * and their proxies outlive the CLI. It answers a loopback control API guarded by a random bearer token that only
 * the owner can read (supervisor.json, 0600), and holds an exclusive lock file so a stack never gets two.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import type { ProviderDeploy } from '../types.js';
import { deployBodySchema, rollbackBodySchema, type SupervisorInfo } from './protocol.js';
import { isSupervisorProcess, readServiceStates, readSupervisorInfo, runtimePaths } from './runtime-files.js';
import { ControlError, reclaimReleases, ServiceRuntime } from './service-runtime.js';

const MAX_BODY = 1024 * 1024;
/** The longest a status request is held waiting for a change (the watch asks for its poll delay, at most seconds). */
const MAX_WAIT_MS = 30_000;
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Takes the stack's supervisor lock; false when a live supervisor holds it. */
function acquireLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (holder && holder !== process.pid && isSupervisorProcess(holder)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ControlError(413, 'request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ControlError(400, 'request body is not JSON');
  }
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: Error } },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ControlError(400, `invalid request: ${result.error.message}`);
  return result.data;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Runs the supervisor for `stackDir` until it is told to shut down. Resolves false if another one already runs. */
export async function runSupervisor(stackDir: string): Promise<boolean> {
  const paths = runtimePaths(stackDir);
  ensurePrivateDir(paths.root);
  if (!acquireLock(paths.lock)) return false;

  const runtimes = new Map<string, ServiceRuntime>();
  for (const [name, state] of readServiceStates(stackDir)) {
    reclaimReleases(state, 'stopped: the local runtime restarted');
    runtimes.set(name, new ServiceRuntime(name, stackDir, state));
  }
  const runtimeFor = (name: string) => {
    if (!SERVICE_NAME.test(name)) throw new ControlError(400, `invalid service name '${name}'`);
    let runtime = runtimes.get(name);
    if (!runtime) {
      runtime = new ServiceRuntime(name, stackDir);
      runtimes.set(name, runtime);
    }
    return runtime;
  };

  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  let stopping: Promise<void> | undefined;

  const route = async (req: IncomingMessage, url: URL): Promise<[number, unknown]> => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [v1, kind, service, sub, id, action] = parts;
    if (v1 !== 'v1') throw new ControlError(404, 'not found');
    if (kind === 'ping' && req.method === 'GET') return [200, { pid: process.pid }];
    if (kind === 'shutdown' && req.method === 'POST') {
      stopping ??= shutdown();
      return [202, { stopping: true }];
    }
    if (kind !== 'services' || !service) throw new ControlError(404, 'not found');
    const runtime = runtimeFor(service);
    if (sub === 'rollback' && req.method === 'POST' && !id) {
      const rec = await runtime.rollback(parse(rollbackBodySchema, await readBody(req)));
      return [200, runtime.view(rec)];
    }
    if (sub !== 'deploys') throw new ControlError(404, 'not found');
    if (!id && req.method === 'GET') return [200, runtime.list(Number(url.searchParams.get('limit')) || 20)];
    if (!id && req.method === 'POST')
      return [202, runtime.view(runtime.deploy(parse(deployBodySchema, await readBody(req))))];
    if (id && !action && req.method === 'GET') {
      // ?waitWhile=<state>&waitMs=<ms>: answer once the release leaves that state (at most MAX_WAIT_MS later).
      const waitWhile = url.searchParams.get('waitWhile');
      if (!waitWhile) return [200, runtime.get(id)];
      const waitMs = Math.min(MAX_WAIT_MS, Number(url.searchParams.get('waitMs')) || 0);
      return [200, await runtime.waitWhile(id, waitWhile as ProviderDeploy['state'], waitMs)];
    }
    if (id && action === 'logs' && req.method === 'GET') {
      return [200, runtime.logsAfter(id, Number(url.searchParams.get('cursor') ?? 0) || 0)];
    }
    if (id && action === 'cancel' && req.method === 'POST') return [200, runtime.view(runtime.cancel(id))];
    throw new ControlError(404, 'not found');
  };

  const server = createServer((req, res) => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      return send(res, 401, { error: 'missing or wrong token' });
    }
    if (stopping && !req.url?.startsWith('/v1/ping'))
      return send(res, 503, { error: 'the local runtime is stopping' });
    route(req, new URL(req.url ?? '/', 'http://supervisor')).then(
      ([status, body]) => send(res, status, body),
      (error: unknown) => {
        if (error instanceof ControlError)
          return send(res, error.status, { error: error.message, hint: error.hint });
        process.stderr.write(`supervisor: ${(error as Error).stack ?? String(error)}\n`);
        send(res, 500, { error: `internal error: ${(error as Error).message}` });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const info: SupervisorInfo = {
    pid: process.pid,
    port: (server.address() as AddressInfo).port,
    token,
    startedAt: new Date().toISOString(),
  };
  writePrivateFile(paths.info, `${JSON.stringify(info)}\n`);

  let finished!: () => void;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  async function shutdown(): Promise<void> {
    await Promise.all([...runtimes.values()].map((r) => r.shutdown().catch(() => {})));
    server.closeAllConnections();
    server.close();
    if (readSupervisorInfo(stackDir)?.pid === process.pid) rmSync(paths.info, { force: true });
    rmSync(paths.lock, { force: true });
    finished();
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping ??= shutdown();
    });
  }
  // Detached with no terminal, a hang-up means nothing; releases must not die with the shell that started opsbook.
  process.on('SIGHUP', () => {});
  await done;
  return true;
}
