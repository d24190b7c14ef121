import http from 'node:http';
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { probeHttp } from './index.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe('probeHttp with keep-alive agents', () => {
  it('reuses one connection across checks, and opens a fresh one per check without agents', async () => {
    // The client port of each request, read while the connection is open.
    const seen: (number | undefined)[] = [];
    server = await startServer((req, res) => {
      seen.push(req.socket.remotePort);
      if (req.url === '/big') res.end('x'.repeat(4096));
      else sendJson(res, 200, { ok: true });
    });
    const ports = (from = 0) => new Set(seen.slice(from)).size;
    const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
    const ctx = { signal: new AbortController().signal, env: {}, agents };
    try {
      for (let i = 0; i < 3; i++)
        expect((await probeHttp({ url: `${server.url}/ok` }, ctx)).outcome).toBe('up');
      expect(ports()).toBe(1);
      // A body cut at the cap leaves the connection mid-response: it is dropped, not reused.
      const capped = await probeHttp({ url: `${server.url}/big`, maxBodyBytes: 100 }, ctx);
      expect(capped.warnings).toEqual([expect.stringContaining('truncated')]);
      await probeHttp({ url: `${server.url}/ok` }, ctx);
      expect(ports()).toBe(2);
    } finally {
      agents.http.destroy();
    }
    const before = seen.length;
    const fresh = { signal: new AbortController().signal, env: {} };
    for (let i = 0; i < 2; i++) await probeHttp({ url: `${server.url}/ok` }, fresh);
    expect(ports(before)).toBe(2);
  });
});
