import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { get } from '../../../test/support/providers/local/local-fixture.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { type ReverseProxy, startProxy } from './proxy.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function upstream(
  handler: Parameters<typeof createServer>[1],
): Promise<{ port: number; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, server };
}

async function proxy(): Promise<{ proxy: ReverseProxy; url: string }> {
  const p = await startProxy(0);
  closers.push(() => p.close());
  return { proxy: p, url: `http://127.0.0.1:${p.port}` };
}

describe('reverse proxy', () => {
  it('answers 503 while no release is live and 502 when the release does not answer', async () => {
    const { proxy: p, url } = await proxy();
    expect((await get(url)).status).toBe(503);
    const gone = await upstream((_req, res) => res.end());
    closers.pop();
    await new Promise((resolve) => gone.server.close(resolve));
    p.switchTo(gone.port);
    const answer = await get(url);
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('ECONNREFUSED');
  });

  it('streams a response before the release has finished writing it', async () => {
    let release!: () => void;
    const finish = new Promise<void>((resolve) => {
      release = resolve;
    });
    const up = await upstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      await finish;
      res.end('second');
    });
    const { proxy: p, url } = await proxy();
    p.switchTo(up.port);
    const body = await new Promise<string>((resolve, reject) => {
      request(url, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text === 'first ') release();
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('first second');
  });

  it('lets a request in flight finish on the old release while new requests go to the new one', async () => {
    // The old release answers only when the test lets it: the request is in flight for as long as needed.
    let answerOld: (() => void) | undefined;
    const old = await upstream((_req, res) => {
      answerOld = () => res.end('old');
    });
    const next = await upstream((_req, res) => res.end('new'));
    const { proxy: p, url } = await proxy();
    p.switchTo(old.port);
    const inFlight = get(url);
    await waitFor('the request to reach the old release', () => answerOld !== undefined);
    expect(p.inFlight(old.port)).toBe(1);
    p.switchTo(next.port);
    expect((await get(url)).body).toBe('new');
    const drained = p.waitIdle(old.port, 30_000);
    answerOld!();
    expect(await inFlight).toEqual({ status: 200, body: 'old' });
    expect(await drained).toBe(true);
    expect(p.inFlight(old.port)).toBe(0);
  });

  it('gives up draining after the timeout', async () => {
    let answer: (() => void) | undefined;
    const slow = await upstream((_req, res) => {
      answer = () => res.end('late');
    });
    const { proxy: p, url } = await proxy();
    p.switchTo(slow.port);
    const pending = get(url);
    await waitFor('the request to reach the release', () => answer !== undefined);
    expect(await p.waitIdle(slow.port, 100)).toBe(false);
    answer!();
    await pending;
  });

  it('repeats a bodiless request once when the release closed the kept-alive connection it reused', async () => {
    // Answers the first request of each connection, then drops the connection at the next one.
    const raw = createTcpServer((socket) => {
      let requests = 0;
      socket.on('data', () => {
        if (++requests === 1)
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => raw.close(() => resolve())));
    const { proxy: p, url } = await proxy();
    p.switchTo((raw.address() as AddressInfo).port);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get(url));
    expect(answers).toEqual([
      { status: 200, body: 'ok' },
      { status: 200, body: 'ok' },
      { status: 200, body: 'ok' },
    ]);
  });
});
