import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closedPort,
  type Handler,
  hasOpenssl,
  selfSignedCertificate,
  sendJson,
  startServer,
  type TestServer,
} from '../../test/support/http-server.js';
import { createRedactor } from '../redact/index.js';
import { type HttpTarget, type ProbeContext, probeHttp } from './index.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler, tls?: { key: string; cert: string }) {
  const server = await startServer(handler, tls);
  servers.push(server);
  return server;
}

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  signal: new AbortController().signal,
  env: {},
  ...over,
});

const deep =
  (body: unknown, status = 200): Handler =>
  (_req, res) =>
    sendJson(res, status, body);

const deepTarget = (url: string, over: Partial<HttpTarget> = {}): HttpTarget => ({
  url: `${url}/health`,
  expect: {
    status: 200,
    body: [
      { path: 'status', in: ['healthy', 'degraded'] },
      { path: 'services.database.status', equals: 'healthy' },
      { path: 'checks[0].name', exists: true },
    ],
  },
  degraded: [{ path: 'status', equals: 'degraded' }],
  ...over,
});

const healthyBody = {
  status: 'healthy',
  services: { database: { status: 'healthy' } },
  checks: [{ name: 'db' }],
};

describe('probeHttp: conditions', () => {
  it('is up when the status and every body condition hold, stamping the time from the context clock', async () => {
    const s = await serve(deep(healthyBody));
    const r = await probeHttp(deepTarget(s.url), ctx({ now: () => Date.parse('2026-01-02T03:04:05Z') }));
    expect(r).toMatchObject({ ok: true, outcome: 'up', status: 200, failures: [], attempts: 1 });
    expect(r.at).toBe('2026-01-02T03:04:05.000Z');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is down and explains each failed body condition', async () => {
    const s = await serve(
      deep({ status: 'healthy', services: { database: { status: 'down' } }, checks: [] }),
    );
    const r = await probeHttp(deepTarget(s.url), ctx());
    expect(r.outcome).toBe('down');
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      "services.database.status is 'down', expected 'healthy'",
      'checks[0].name is missing, expected it to exist',
    ]);
  });

  it('is degraded when a 200 answer matches a degraded condition', async () => {
    const s = await serve(deep({ ...healthyBody, status: 'degraded' }));
    const r = await probeHttp(deepTarget(s.url), ctx());
    expect(r).toMatchObject({ ok: true, outcome: 'degraded', failures: ["status is 'degraded' (degraded)"] });
  });

  it('is down, not degraded, on a 503 even when the body says degraded', async () => {
    const s = await serve(deep({ ...healthyBody, status: 'degraded' }, 503));
    const r = await probeHttp(deepTarget(s.url), ctx());
    expect(r.outcome).toBe('down');
    expect(r.failures).toEqual(['status 503, expected 200']);
  });

  it('accepts a list of statuses and names them when none matches', async () => {
    const s = await serve((_req, res) => res.writeHead(204).end());
    const ok = await probeHttp({ url: s.url, expect: { status: [200, 204] } }, ctx());
    expect(ok.outcome).toBe('up');
    const bad = await probeHttp({ url: s.url, expect: { status: [200, 202] } }, ctx());
    expect(bad.failures).toEqual(['status 204, expected one of 200, 202']);
  });

  it('checks headers (ignoring parameters after ;) and body text', async () => {
    const s = await serve(deep(healthyBody));
    const r = await probeHttp(
      {
        url: s.url,
        expect: { headers: { 'Content-Type': 'application/json', 'X-Version': '2' }, contains: 'unhealthy' },
      },
      ctx(),
    );
    expect(r.failures).toEqual([
      "header X-Version is missing, expected '2'",
      "body does not contain 'unhealthy'",
    ]);
  });

  it('fails when the response is slower than the latency budget', async () => {
    const s = await serve((_req, res) => setTimeout(() => sendJson(res, 200, healthyBody), 150));
    const r = await probeHttp({ url: s.url, latencyBudgetMs: 50 }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.failures[0]).toMatch(/^response took \d+ ms, over the 50 ms budget$/);
    expect(r.latencyMs).toBeGreaterThanOrEqual(140);
  });
});

describe('probeHttp: bad bodies are capped and reported', () => {
  // Writes 64 KiB chunks until the client goes away: a body with no end.
  const endless: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  };

  it('stops reading past 1 MiB and fails body conditions on the truncated body', async () => {
    const s = await serve(endless);
    const r = await probeHttp({ url: s.url, expect: { body: [{ path: 'status', exists: true }] } }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.failures).toEqual(['body over 1 MiB, truncated: its conditions were not checked']);
    expect(r.warnings).toEqual(['body over 1 MiB, truncated']);
  });

  it('stays up with a warning when no condition needs the huge body', async () => {
    const s = await serve(endless);
    const r = await probeHttp({ url: s.url, maxBodyBytes: 100_000 }, ctx());
    expect(r).toMatchObject({ outcome: 'up', warnings: ['body over 97.7 KiB, truncated'] });
  });

  it('times out while the body is still streaming, saying how much arrived', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"hea');
    });
    const r = await probeHttp({ url: s.url, timeoutMs: 300 }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toBe('timed out after 300 ms while reading the body (14 bytes received)');
  });

  it('is down when the connection drops mid-body, instead of judging half a body', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"status":"hea', () => res.socket?.destroy());
    });
    const r = await probeHttp({ url: s.url, expect: { contains: 'hea' } }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toMatch(/aborted|closed before the body ended|socket hang up|ECONNRESET/);
  });

  it('times out when no response comes at all', async () => {
    const s = await serve(() => {});
    const r = await probeHttp({ url: s.url, timeoutMs: 200 }, ctx());
    expect(r.error).toBe('timed out after 200 ms waiting for a response');
  });

  it('reports a non-JSON body when body conditions need JSON', async () => {
    const s = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'),
    );
    const r = await probeHttp(deepTarget(s.url), ctx());
    expect(r.outcome).toBe('down');
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(
      /^body is not JSON \(.+\); it starts '<html>oops<\/html>', and body conditions need JSON$/,
    );
  });

  it("shows a non-JSON body's terminal escape codes as text, so a hostile endpoint cannot drive the terminal", async () => {
    const s = await serve((_req, res) =>
      res.writeHead(503, { 'content-type': 'text/plain' }).end('\u001b]0;pwned\u0007\u001b[2Jbody'),
    );
    const r = await probeHttp(
      deepTarget(s.url, { expect: { status: 503, body: [{ path: 'a', exists: true }] } }),
      ctx(),
    );
    expect(r.failures).toHaveLength(1);
    expect([...r.failures[0]!].filter((c) => c < ' ' || (c >= '\u007f' && c <= '\u009f'))).toEqual([]);
    expect(r.failures[0]).toContain("it starts '\\x1b]0;pwned\\x07\\x1b[2Jbody'");
  });
});

describe('probeHttp: auth, retries and transport', () => {
  it('fails naming the missing variable without sending a request or retrying', async () => {
    const s = await serve(deep(healthyBody));
    const r = await probeHttp(
      { url: s.url, retries: 3, auth: { type: 'bearer', token: { env: 'ARIA_ADMIN_TOKEN' } } },
      ctx(),
    );
    expect(r).toMatchObject({ outcome: 'down', attempts: 1 });
    expect(r.error).toMatch(/^environment variable ARIA_ADMIN_TOKEN is not set/);
    expect(s.requests).toHaveLength(0);
  });

  it('sends bearer, basic and custom header auth and registers the values with the redactor', async () => {
    const s = await serve((req, res) =>
      sendJson(res, 200, { auth: req.headers.authorization, key: req.headers['x-key'] }),
    );
    const redactor = createRedactor();
    const env = { TOKEN: 'tok-123456', CREDS: 'flower:pa55word', KEY: 'key-abcdef' };
    const c = ctx({ env, redactor });
    const bearer = await probeHttp({ url: s.url, auth: { type: 'bearer', token: { env: 'TOKEN' } } }, c);
    const basic = await probeHttp({ url: s.url, auth: { type: 'basic', credentials: { env: 'CREDS' } } }, c);
    const header = await probeHttp(
      { url: s.url, auth: { type: 'header', header: 'x-key', value: { env: 'KEY' } } },
      c,
    );
    expect([bearer.outcome, basic.outcome, header.outcome]).toEqual(['up', 'up', 'up']);
    expect(s.requests.map((r) => r.headers.authorization ?? r.headers['x-key'])).toEqual([
      'Bearer tok-123456',
      `Basic ${Buffer.from('flower:pa55word').toString('base64')}`,
      'key-abcdef',
    ]);
    const shown = redactor.redact(
      `tok-123456 flower:pa55word ${Buffer.from('flower:pa55word').toString('base64')} key-abcdef`,
    );
    expect(shown).toBe('[REDACTED] [REDACTED] [REDACTED] [REDACTED]');
  });

  it('retries a down answer and reports the attempts', async () => {
    let calls = 0;
    const s = await serve((_req, res) => sendJson(res, ++calls === 1 ? 503 : 200, healthyBody));
    const once = await probeHttp({ url: s.url, retries: 1 }, ctx());
    expect(once).toMatchObject({ outcome: 'up', attempts: 2 });
    calls = 0;
    const noRetry = await probeHttp({ url: s.url, retries: 0 }, ctx());
    expect(noRetry).toMatchObject({ outcome: 'down', attempts: 1 });
  });

  it('does not retry a degraded answer', async () => {
    const s = await serve(deep({ ...healthyBody, status: 'degraded' }));
    const r = await probeHttp(deepTarget(s.url, { retries: 2 }), ctx());
    expect(r).toMatchObject({ outcome: 'degraded', attempts: 1 });
    expect(s.requests).toHaveLength(1);
  });

  it('is down with the connection error when nothing listens', async () => {
    const port = await closedPort();
    const r = await probeHttp({ url: `http://127.0.0.1:${port}/health` }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toContain('ECONNREFUSED');
  });

  it('is down with "aborted" when the caller aborts', async () => {
    const s = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await probeHttp({ url: s.url }, ctx({ signal: controller.signal }));
    expect(r.error).toBe('aborted');
  });

  it('is down with "aborted", sending nothing, when the caller had aborted before it started', async () => {
    let requests = 0;
    const s = await serve((_req, res) => {
      requests++;
      sendJson(res, 200, {});
    });
    const controller = new AbortController();
    controller.abort();
    const r = await probeHttp({ url: s.url }, ctx({ signal: controller.signal }));
    expect(r).toMatchObject({ outcome: 'down', error: 'aborted' });
    expect(requests).toBe(0);
  });

  it('goes through an injected fetch, which cannot show the certificate', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response(JSON.stringify(healthyBody), { status: 200 });
    }) as typeof fetch;
    const r = await probeHttp(
      { url: 'https://api.example.test/health', expect: { certificateValidForMs: 1 } },
      ctx({ fetch: fakeFetch }),
    );
    expect(seen).toEqual(['https://api.example.test/health']);
    expect(r.failures).toEqual([
      'the certificate could not be read (the probe ran through an injected fetch)',
    ]);
  });

  it('rejects certificateValidFor on a plain http URL', async () => {
    const s = await serve(deep(healthyBody));
    const r = await probeHttp({ url: s.url, expect: { certificateValidForMs: 1000 } }, ctx());
    expect(r.failures).toEqual([`certificateValidFor needs an https URL, not ${s.url}`]);
  });
});

const openssl = hasOpenssl();
if (!openssl)
  process.stderr.write('\n!!! TLS certificate test SKIPPED: the openssl CLI is not installed\n\n');

describe.skipIf(!openssl)('probeHttp: TLS certificate expiry (self-signed, made with openssl)', () => {
  it('reads the peer certificate expiry and fails when it is sooner than required', async () => {
    const tls = selfSignedCertificate(10);
    const s = await serve(deep(healthyBody), tls);
    const target = { url: `${s.url}/health`, ca: tls.cert };
    const ok = await probeHttp({ ...target, expect: { certificateValidForMs: 5 * 86_400_000 } }, ctx());
    expect(ok.outcome).toBe('up');
    const left = Date.parse(ok.certificateExpiresAt ?? '') - Date.now();
    expect(left).toBeGreaterThan(9 * 86_400_000);
    expect(left).toBeLessThan(11 * 86_400_000);
    const bad = await probeHttp({ ...target, expect: { certificateValidForMs: 30 * 86_400_000 } }, ctx());
    expect(bad.outcome).toBe('down');
    expect(bad.failures[0]).toMatch(/^certificate expires in (9\.\d|10)d \(.+\), expected at least 30d$/);
  });

  it('names the host for SNI and checks the certificate against that name', async () => {
    // The certificate is for 127.0.0.1 only: asked for by name, the probe must send the name and refuse the answer.
    const cert = selfSignedCertificate(10);
    const names: string[] = [];
    const server = https.createServer(
      {
        ...cert,
        SNICallback: (name, done) => {
          names.push(name);
          done(null, createSecureContext(cert));
        },
      },
      deep(healthyBody),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const r = await probeHttp({ url: `https://localhost:${port}/health`, ca: cert.cert }, ctx());
      expect(names).toEqual(['localhost']);
      expect(r.outcome).toBe('down');
      expect(r.error).toMatch(/localhost.*altnames|altnames.*localhost/i);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is down when the certificate is not trusted', async () => {
    const s = await serve(deep(healthyBody), selfSignedCertificate(10));
    const r = await probeHttp({ url: s.url }, ctx());
    expect(r.outcome).toBe('down');
    expect(r.error).toMatch(/self.signed/i);
  });
});
