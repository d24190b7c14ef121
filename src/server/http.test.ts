import { Server } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../errors.js';
import { listen } from './http.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('listen', () => {
  it('reports a --host that does not resolve as a user error, not a bug', async () => {
    // Fail the lookup as getaddrinfo does, without asking any resolver.
    vi.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server) {
      const error = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
      });
      process.nextTick(() => this.emit('error', error));
      return this;
    });
    const error = await listen(new Hono(), { host: 'nowhere.invalid', port: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({
      code: 'server/listen',
      message: 'cannot listen on nowhere.invalid:0: ENOTFOUND',
      hint: 'give a local address with --host',
    });
  });

  it('listens on a free port and closes', async () => {
    const app = new Hono().get('/', (c) => c.text('hi'));
    const server = await listen(app, { host: '127.0.0.1', port: 0 });
    try {
      expect(await (await fetch(`${server.url}/`)).text()).toBe('hi');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
  });
});
