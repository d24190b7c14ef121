// Waits until a starting release can take traffic: its health endpoint answers as expected, or its port accepts.
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describeExit, type ShellExit } from '../../shell/index.js';
import type { Readiness } from './protocol.js';

export interface ReadyResult {
  ready: boolean;
  /** The release's process ended before it was ready. */
  exited: boolean;
  /** The last probe's outcome, e.g. "GET /ready answered 503" or "exited with code 1". */
  detail: string;
}

const POLL_MS = 100;

/** A port no one listens on now. The release binds it a moment later; a lost race shows as a failed start. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function probeHttp(port: number, r: Extract<Readiness, { kind: 'http' }>): Promise<string | true> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: r.path, method: r.method, agent: false, timeout: r.timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(r.expectStatus.includes(status) ? true : `${r.method} ${r.path} answered ${status}`);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${r.timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`${r.method} ${r.path}: ${error.code ?? error.message}`),
    );
    req.end();
  });
}

function probeTcp(port: number): Promise<string | true> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(`port ${port}: ${error.code ?? error.message}`),
    );
  });
}

export async function waitForReady(options: {
  readiness: Readiness;
  port: number | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  exit: () => ShellExit | undefined;
}): Promise<ReadyResult> {
  const { readiness, port, signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  if (readiness.kind === 'running') {
    await delay(Math.min(readiness.graceMs, options.timeoutMs), undefined, { signal });
    const exit = options.exit();
    return exit
      ? { ready: false, exited: true, detail: describeExit(exit) }
      : { ready: true, exited: false, detail: 'still running' };
  }
  let detail = 'not probed yet';
  for (;;) {
    signal.throwIfAborted();
    const exit = options.exit();
    if (exit) return { ready: false, exited: true, detail: describeExit(exit) };
    if (port !== undefined) {
      const outcome = readiness.kind === 'http' ? await probeHttp(port, readiness) : await probeTcp(port);
      if (outcome === true) {
        return {
          ready: true,
          exited: false,
          detail:
            readiness.kind === 'http' ? `${readiness.method} ${readiness.path} answered` : 'port accepts',
        };
      }
      detail = outcome;
    }
    if (Date.now() >= deadline) return { ready: false, exited: false, detail };
    await delay(POLL_MS, undefined, { signal });
  }
}
