/** The one module that knows @hono/node-server: listen on a host and port, close gracefully. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { UserError } from '../errors.js';

const CLOSE_GRACE_MS = 5_000;

export interface HttpServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections, ends idle keep-alive ones, waits for requests in flight. */
  close(): Promise<void>;
}

export async function listen(app: Hono, options: { host: string; port: number }): Promise<HttpServer> {
  const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      // A --host that does not resolve fails in getaddrinfo (ENOTFOUND, EAI_AGAIN): bad input too.
      const badHost = error.code === 'EADDRNOTAVAIL' || error.syscall === 'getaddrinfo';
      reject(
        badHost || error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new UserError(
              `cannot listen on ${options.host}:${options.port}: ${error.code}`,
              badHost ? 'give a local address with --host' : 'choose another port with --port',
              'server/listen',
            )
          : error,
      );
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    host: options.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Requests in flight get a few seconds; a client holding a connection open does not hold us.
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
