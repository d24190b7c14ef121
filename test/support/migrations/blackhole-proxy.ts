// A loopback TCP proxy to PostgreSQL that can stop forwarding without closing anything: a NAT or dead middlebox.
import { createConnection, createServer, type Socket } from 'node:net';

export interface BlackholeProxy {
  /** The database URL with host and port replaced by the proxy's. */
  url: string;
  /** From now on bytes in either direction are swallowed; sockets stay open. */
  blackhole(): void;
  close(): Promise<void>;
}

export async function startBlackholeProxy(targetUrl: string): Promise<BlackholeProxy> {
  const target = new URL(targetUrl);
  let forwarding = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
    }
    client.on('data', (chunk) => forwarding && upstream.write(chunk));
    upstream.on('data', (chunk) => forwarding && client.write(chunk));
    client.on('close', () => forwarding && upstream.destroy());
    upstream.on('close', () => forwarding && client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    blackhole: () => {
      forwarding = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
