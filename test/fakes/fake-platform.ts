/**
 * The loopback server under every fake platform (fake-render, fake-vercel, fake-railway): routing, auth,
 * a request log, and injected faults (429 with Retry-After, 5xx, a response that never comes), optionally
 * after the request has been applied, which is what tempts a client into creating a deploy twice.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** GraphQL root field, when the platform speaks GraphQL. */
  operation?: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  /** A body sent as it is, not as JSON. */
  text?: string;
  headers?: Record<string, string>;
}

export type Fault =
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'error'; status: number; body?: unknown }
  | { kind: 'hang' };

export interface FaultRule {
  method?: string;
  /** A path pattern (a string must match the whole path). */
  path?: RegExp | string;
  operation?: string;
  fault: Fault;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Apply the request first, then fail its response: the platform did the work but the client never hears. */
  afterHandling?: boolean;
}

export interface FakePlatformOptions {
  /** Returns a response when the request is not authorized. */
  authorize: (request: FakeRequest) => FakeResponse | undefined;
  route: (request: FakeRequest) => FakeResponse;
  /** The platform's 429 shape for a given wait. */
  rateLimited: (retryAfterSeconds: number) => FakeResponse;
  operationOf?: (request: FakeRequest) => string | undefined;
}

export interface FakePlatform {
  /** Base URL on 127.0.0.1. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: FakeRequest[];
  inject(rule: FaultRule): void;
  close(): Promise<void>;
}

export async function startFakePlatform(options: FakePlatformOptions): Promise<FakePlatform> {
  const requests: FakeRequest[] = [];
  const rules: (FaultRule & { left: number })[] = [];
  const hanging = new Set<ServerResponse>();

  const takeFault = (request: FakeRequest): FaultRule | undefined => {
    const rule = rules.find((r) => r.left > 0 && matches(r, request));
    if (rule) rule.left--;
    return rule;
  };

  const send = (res: ServerResponse, response: FakeResponse) => {
    const text = response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body));
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(text);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: raw ? safeParse(raw) : undefined,
      };
      request.operation = options.operationOf?.(request);
      requests.push(request);

      const denied = options.authorize(request);
      if (denied) return send(res, denied);
      const rule = takeFault(request);
      if (rule && !rule.afterHandling) return applyFault(rule.fault);
      let response: FakeResponse;
      try {
        response = options.route(request);
      } catch (error) {
        response = { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
      }
      if (rule) return applyFault(rule.fault);
      send(res, response);

      function applyFault(fault: Fault) {
        if (fault.kind === 'hang') {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        if (fault.kind === 'rate-limit') return send(res, options.rateLimited(fault.retryAfterSeconds));
        send(res, { status: fault.status, body: fault.body ?? { message: 'internal server error' } });
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? 1 });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matches(rule: FaultRule, request: FakeRequest): boolean {
  if (rule.method && rule.method !== request.method) return false;
  if (rule.operation && rule.operation !== request.operation) return false;
  if (typeof rule.path === 'string' && rule.path !== request.path) return false;
  if (rule.path instanceof RegExp && !rule.path.test(request.path)) return false;
  return true;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A deterministic clock for fakes: each call is one second after the previous, from 2026-01-01. */
export function createFakeClock(start = Date.UTC(2026, 0, 1)): () => number {
  let tick = 0;
  return () => start + tick++ * 1000;
}
