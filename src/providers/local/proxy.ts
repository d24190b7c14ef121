/**
 * The local runtime's reverse proxy: streams requests to the release that serves now, switches to another in one
 * assignment, and counts each release's in-flight requests so an old release can drain before it stops.
 */
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReverseProxy {
  readonly port: number;
  /** The upstream port new requests go to; undefined answers 503. */
  readonly target: number | undefined;
  switchTo(port: number | undefined): void;
  inFlight(port: number): number;
  /** Resolves true once no request to `port` is in flight, false when `timeoutMs` passes first. */
  waitIdle(port: number, timeoutMs: number): Promise<boolean>;
  /** Drops the kept-alive connections to a release that stopped. */
  forget(port: number): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  const listed = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  for (const name of [...HOP_BY_HOP, ...listed]) delete out[name];
  return out;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export async function startProxy(port: number, host = '127.0.0.1'): Promise<ReverseProxy> {
  let target: number | undefined;
  const agents = new Map<number, Agent>();
  const counts = new Map<number, number>();
  const idleWaiters = new Map<number, Set<() => void>>();

  const agentFor = (upstream: number) => {
    let agent = agents.get(upstream);
    if (!agent) {
      agent = new Agent({ keepAlive: true });
      agents.set(upstream, agent);
    }
    return agent;
  };
  const track = (upstream: number, delta: number) => {
    const n = (counts.get(upstream) ?? 0) + delta;
    counts.set(upstream, n);
    if (n === 0) for (const wake of idleWaiters.get(upstream) ?? []) wake();
  };

  const forward = (req: IncomingMessage, res: ServerResponse, upstream: number, firstAttempt: boolean) => {
    const headers = endToEnd(req.headers);
    const from = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${from}` : from;
    headers['x-forwarded-proto'] ??= 'http';
    const out = request({
      host: '127.0.0.1',
      port: upstream,
      method: req.method,
      path: req.url,
      headers,
      // A retry takes a fresh connection: the pool may hold more sockets the release already closed.
      agent: firstAttempt ? agentFor(upstream) : false,
    });
    out.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return res.destroy(error);
      // The keep-alive race: the release closed an idle socket just as we reused it. Safe to repeat without a body.
      if (firstAttempt && out.reusedSocket && !hasBody(req)) return forward(req, res, upstream, false);
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(
        `opsbook proxy: the release on port ${upstream} did not answer (${error.code ?? error.message})\n`,
      );
    });
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    if (hasBody(req)) req.pipe(out);
    else out.end();
  };

  const server = createServer((req, res) => {
    const upstream = target;
    if (upstream === undefined) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
      res.end('opsbook proxy: no release is live\n');
      return;
    }
    track(upstream, 1);
    res.on('close', () => track(upstream, -1));
    forward(req, res, upstream, true);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    get target() {
      return target;
    },
    switchTo(port) {
      target = port;
    },
    inFlight: (upstream) => counts.get(upstream) ?? 0,
    waitIdle(upstream, timeoutMs) {
      if (!counts.get(upstream)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const waiters = idleWaiters.get(upstream) ?? new Set();
        idleWaiters.set(upstream, waiters);
        const done = (idle: boolean) => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(idle);
        };
        const wake = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiters.add(wake);
      });
    },
    forget(upstream) {
      agents.get(upstream)?.destroy();
      agents.delete(upstream);
      counts.delete(upstream);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const agent of agents.values()) agent.destroy();
      await closed;
    },
  };
}
