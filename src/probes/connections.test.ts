import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPort, sendJson, startServer } from '../../test/support/http-server.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { createRedactor } from '../redact/index.js';
import { describeConnection, type ProbeContext, probePostgres, probeRedis, probeTcp } from './index.js';

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  signal: new AbortController().signal,
  env: {},
  ...over,
});

const REDIS_URL = process.env.OPSBOOK_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

describe('probeTcp', () => {
  it('is up when a connection opens and down with the error when refused', async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, {}));
    const { port } = new URL(server.url);
    const up = await probeTcp({ host: '127.0.0.1', port: Number(port) }, ctx());
    await server.close();
    expect(up).toMatchObject({ ok: true, outcome: 'up', failures: [] });
    const down = await probeTcp({ host: '127.0.0.1', port: await closedPort() }, ctx());
    expect(down.outcome).toBe('down');
    expect(down.error).toContain('ECONNREFUSED');
  });

  it('is down with "aborted" when the caller had aborted before it started', async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, {}));
    const { port } = new URL(server.url);
    const controller = new AbortController();
    controller.abort();
    const r = await probeTcp({ host: '127.0.0.1', port: Number(port) }, ctx({ signal: controller.signal }));
    await server.close();
    expect(r).toMatchObject({ outcome: 'down', error: 'aborted' });
  });
});

describe('describeConnection', () => {
  it('keeps user, host and database but never the password', () => {
    expect(describeConnection('postgres://app:s3cret-pw@db.internal:5432/prod?sslmode=require')).toBe(
      'postgres://app@db.internal:5432/prod',
    );
    expect(describeConnection('rediss://:hunter22@cache:6380')).toBe('rediss://cache:6380'); // gitleaks:allow (a fake secret for this test)
  });
});

const pgUp = await pgAvailable();
if (!pgUp) markPgSkipped(`probePostgres: ${pgUrl()} unreachable`);

describe.skipIf(!pgUp)('probePostgres against the real server', () => {
  it('is up after connect and select 1', async () => {
    const r = await probePostgres({ url: pgUrl() }, ctx());
    expect(r).toMatchObject({ ok: true, outcome: 'up', failures: [] });
  });

  it('is down naming the database that does not exist', async () => {
    const url = new URL(pgUrl());
    url.pathname = '/opsbook_probe_no_such_db';
    const r = await probePostgres({ url: url.href }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toContain('database "opsbook_probe_no_such_db" does not exist');
  });
});

describe('probePostgres on a closed port', () => {
  it('is down with a clear error that never shows the password', async () => {
    const redactor = createRedactor();
    const url = `postgres://app:pw-9f8e7d6c@127.0.0.1:${await closedPort()}/test`;
    const r = await probePostgres({ url, timeoutMs: 2000 }, ctx({ redactor }));
    expect(r.outcome).toBe('down');
    expect(r.error).toContain('ECONNREFUSED');
    expect(JSON.stringify(r)).not.toContain('pw-9f8e7d6c');
    expect(redactor.redact(url)).not.toContain('pw-9f8e7d6c');
  });
});

describe('probePostgres when stopped mid-connect', () => {
  it('settles as aborted although pg never settles connect() after end()', async () => {
    // A server that accepts and never answers holds pg in its startup handshake.
    const sockets: Socket[] = [];
    const controller = new AbortController();
    const silent = createServer((socket) => {
      sockets.push(socket);
      controller.abort();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const r = await probePostgres(
        { url: `postgres://app@127.0.0.1:${port}/test`, timeoutMs: 60_000 },
        ctx({ signal: controller.signal }),
      );
      expect(r).toMatchObject({ outcome: 'down', error: 'aborted' });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

async function redisAvailable(): Promise<boolean> {
  const r = await probeRedis({ url: REDIS_URL, timeoutMs: 2000 }, ctx());
  return r.outcome === 'up';
}
const redisUp = await redisAvailable();
if (!redisUp) process.stderr.write(`\n!!! Redis tests SKIPPED: ${REDIS_URL} unreachable\n\n`);

describe.skipIf(!redisUp)('probeRedis against the real server', () => {
  it('is up on PONG', async () => {
    const r = await probeRedis({ url: REDIS_URL }, ctx());
    expect(r).toMatchObject({ ok: true, outcome: 'up' });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("is down with Redis's own error when AUTH is refused, without the password", async () => {
    const url = new URL(REDIS_URL);
    url.username = 'opsbook-nobody';
    url.password = 'wrong-pass-123';
    const r = await probeRedis({ url: url.href }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toMatch(/^redis answered: WRONGPASS|^redis answered: ERR/);
    expect(JSON.stringify(r)).not.toContain('wrong-pass-123');
  });

  it('selects the database the URL names: one the server does not have is down, as the app would fail', async () => {
    const url = new URL(REDIS_URL);
    url.pathname = '/1';
    expect(await probeRedis({ url: url.href }, ctx())).toMatchObject({ outcome: 'up' });
    url.pathname = '/99';
    const r = await probeRedis({ url: url.href }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toMatch(/^redis answered: ERR DB index is out of range/);
    url.pathname = '/cache';
    expect((await probeRedis({ url: url.href }, ctx())).error).toBe(
      "the Redis URL names database 'cache': expected its number, e.g. redis://host:6379/0",
    );
  });
});

describe('probeRedis against loopback stand-ins', () => {
  // A minimal RESP server with requirepass: answers NOAUTH until AUTH with the right password.
  let server: ReturnType<typeof createServer>;
  let port = 0;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((socket: Socket) => {
      let authed = false;
      socket.on('data', (data) => {
        const text = data.toString();
        received.push(text);
        for (const command of text.split('*').filter(Boolean)) {
          const args = command.split('\r\n').filter((_, i) => i > 0 && i % 2 === 0);
          if (args[0] === 'AUTH') {
            authed = args.at(-1) === 's3cret-redis';
            socket.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair\r\n');
          } else if (args[0] === 'PING')
            socket.write(authed ? '+PONG\r\n' : '-NOAUTH Authentication required.\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends AUTH with the password from the URL before PING', async () => {
    const r = await probeRedis({ url: `redis://:s3cret-redis@127.0.0.1:${port}` }, ctx());
    expect(r.outcome).toBe('up');
    expect(received.at(-1)).toBe('*2\r\n$4\r\nAUTH\r\n$12\r\ns3cret-redis\r\n*1\r\n$4\r\nPING\r\n');
  });

  it('is down with NOAUTH when the URL has no password', async () => {
    const r = await probeRedis({ url: `redis://127.0.0.1:${port}` }, ctx());
    expect(r.error).toBe('redis answered: NOAUTH Authentication required.');
  });

  it("writes a server's control characters as \\xNN, so a hostile port cannot drive the terminal", async () => {
    const evil = createServer((socket) => {
      socket.on('data', () => socket.write('-ERR \u001b]0;pwned\u0007 boom\r\n'));
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const { port: evilPort } = evil.address() as { port: number };
    const r = await probeRedis({ url: `redis://127.0.0.1:${evilPort}` }, ctx());
    await new Promise((r) => evil.close(r));
    expect(r.error).toBe('redis answered: ERR \\x1b]0;pwned\\x07 boom');
  });

  it('says when the port is not a Redis server', async () => {
    const http = await startServer((_req, res) => sendJson(res, 200, {}));
    const r = await probeRedis({ url: http.url.replace('http:', 'redis:') }, ctx());
    await http.close();
    expect(r.error).toMatch(/^unexpected reply 'HTTP\/1\.1 400 Bad Request': is this a Redis server\?$/);
  });

  it('is down on a closed port and on a non-Redis URL', async () => {
    const closed = await probeRedis({ url: `redis://127.0.0.1:${await closedPort()}` }, ctx());
    expect(closed.error).toContain('ECONNREFUSED');
    const wrong = await probeRedis({ url: 'postgres://127.0.0.1:5432' }, ctx());
    expect(wrong.error).toBe('expected a redis:// or rediss:// URL, not postgres://');
  });

  it('sends no TLS server name for an IP address, so Node prints no deprecation warning', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning');
    try {
      const r = await probeRedis({ url: `rediss://127.0.0.1:${await closedPort()}` }, ctx());
      expect(r.error).toContain('ECONNREFUSED');
      expect(emitWarning.mock.calls.map((call) => String(call[0]))).not.toContainEqual(
        expect.stringContaining('ServerName'),
      );
    } finally {
      emitWarning.mockRestore();
    }
  });
});
