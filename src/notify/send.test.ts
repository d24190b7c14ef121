import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../redact/index.js';
import { send } from './send.js';
import type { ChannelContext, Notification } from './types.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function receiver(statuses: number[]) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const n: Notification = {
  event: 'deploy.succeeded',
  title: 'Deployed shop to production',
  text: 'api, worker',
  severity: 'info',
  at: '2026-11-21T10:00:00.000Z',
  fields: { Commit: 'abc1234' },
};

function ctx(env: NodeJS.ProcessEnv = {}): ChannelContext & { printed: string[] } {
  const printed: string[] = [];
  return {
    fetch,
    env,
    signal: new AbortController().signal,
    redactor: createRedactor(),
    sleep: async () => {},
    print: (l) => printed.push(l),
    printed,
  };
}

describe('send', () => {
  it('posts Slack incoming-webhook text with the fields', async () => {
    const r = await receiver([]);
    const result = await send(
      'team',
      { type: 'slack', webhook: { env: 'SLACK_URL' } },
      n,
      ctx({ SLACK_URL: r.url }),
    );
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    const text = JSON.parse(r.received[0]!.body).text as string;
    expect(text).toContain('Deployed shop to production');
    expect(text).toContain('*Commit:* abc1234');
  });

  it('signs generic webhooks with HMAC-SHA256 over timestamp and body', async () => {
    const r = await receiver([]);
    await send(
      'hook',
      { type: 'webhook', url: r.url, secret: { env: 'HOOK_SECRET' } },
      n,
      ctx({ HOOK_SECRET: 's3cret-signing-key' }),
    );
    const { headers, body } = r.received[0]!;
    const expected = createHmac('sha256', 's3cret-signing-key')
      .update(`${headers['x-opsbook-timestamp']}.${body}`)
      .digest('hex');
    expect(headers['x-opsbook-signature']).toBe(`sha256=${expected}`);
    expect(JSON.parse(body)).toMatchObject({ version: '1', event: 'deploy.succeeded' });
  });

  it('retries server errors and rate limits, then succeeds', async () => {
    const r = await receiver([500, 429, 200]);
    const result = await send('hook', { type: 'webhook', url: r.url }, n, ctx());
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(r.received).toHaveLength(3);
  });

  it('gives up on a client error without retrying', async () => {
    const r = await receiver([404]);
    const result = await send('hook', { type: 'webhook', url: r.url }, n, ctx());
    expect(result.ok).toBe(false);
    expect(r.received).toHaveLength(1);
  });

  it('reports a channel that is down instead of throwing, without leaking its secret URL', async () => {
    const secretUrl = 'http://127.0.0.1:1/services/T000/B000/XXXXSECRETXXXX';
    const c = ctx({ SLACK_URL: secretUrl });
    const result = await send('team', { type: 'slack', webhook: { env: 'SLACK_URL' } }, n, c, { retries: 1 });
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.error).not.toContain('XXXXSECRETXXXX');
  });

  it('reads at most 64 KiB of a gzip-bomb answer, counted after decompression', async () => {
    // 16 MiB of zeros compress to ~16 KiB: fetch decompresses transparently, so only a bounded read is safe.
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
        res.end(bomb);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let pulled = 0;
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body?.pipeThrough(counter), { status: response.status });
    };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const result = await send('hook', { type: 'webhook', url }, n, { ...ctx(), fetch: counting });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('HTTP 400');
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it("reports a refusing receiver's answer with its control characters as \\xNN", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('\u001b]0;owned\u0007\u001b[2Jinvalid_token');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const result = await send('hook', { type: 'webhook', url }, n, ctx());
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.error).toBe('HTTP 403 \\x1b]0;owned\\x07\\x1b[2Jinvalid_token');
  });

  it('explains a missing secret variable', async () => {
    const result = await send('team', { type: 'slack', webhook: { env: 'SLACK_URL' } }, n, ctx());
    expect(result).toMatchObject({ ok: false });
    expect(result.error).toContain('SLACK_URL is not set');
  });

  it('prints to the console channel', async () => {
    const c = ctx();
    await send('console', { type: 'console' }, n, c);
    expect(c.printed[0]).toContain('[info] Deployed shop to production');
  });
});
