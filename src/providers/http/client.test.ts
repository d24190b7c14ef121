import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakePlatform, startFakePlatform } from '../../../test/fakes/fake-platform.js';
import { createTestContext, type TestContext } from '../../../test/support/providers/http/context.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { ProviderError, UserError } from '../../errors.js';
import { type ApiClient, createApiClient } from './client.js';
import { OutcomeUnknownError } from './errors.js';
import { createTokenSource } from './token.js';

const TOKEN = 'tok_ClientTestSecret42';

let fake: FakePlatform;
let ctx: TestContext;
let api: ApiClient;
let hits = 0;

beforeEach(async () => {
  hits = 0;
  fake = await startFakePlatform({
    authorize: (req) =>
      req.headers.authorization === `Bearer ${TOKEN}` ? undefined : { status: 401, body: {} },
    route: (req) => {
      hits++;
      if (req.path === '/not-json')
        return { status: 200, headers: { 'content-type': 'text/html' }, text: '<html>' };
      return { status: 200, body: { ok: true, method: req.method, query: Object.fromEntries(req.query) } };
    },
    rateLimited: (seconds) => ({
      status: 429,
      body: { message: 'slow down' },
      headers: { 'retry-after': String(seconds) },
    }),
  });
  ctx = createTestContext({ TEST_TOKEN: TOKEN });
  api = createApiClient({
    provider: 'test',
    baseUrl: fake.url,
    token: createTokenSource({ env: 'TEST_TOKEN' }, 'TEST_TOKEN', 'test', 'the test').read,
    timeoutMs: 200,
    maxAttempts: 3,
    random: () => 0.5,
  });
});

afterEach(async () => {
  await fake.close();
});

describe('api client', () => {
  it('sends the bearer token and query parameters (arrays repeated, undefined dropped)', async () => {
    const body = await api.request<{ query: Record<string, string> }>(
      { path: '/x', query: { a: 1, b: undefined, c: ['p', 'q'] } },
      ctx,
    );
    expect(body.query).toEqual({ a: '1', c: 'q' });
    expect(fake.requests[0]?.query.getAll('c')).toEqual(['p', 'q']);
    expect(ctx.redactor.redact(`x ${TOKEN}`)).toBe('x [REDACTED]');
  });

  it('retries a GET on 5xx with growing backoff and gives up after maxAttempts', async () => {
    fake.inject({ path: '/x', fault: { kind: 'error', status: 500 }, times: 5 });
    const error = await api.request({ path: '/x' }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(500);
    expect((error as Error).message).toMatch(/gave up after 3 attempts/);
    expect(fake.requests).toHaveLength(3);
    expect(ctx.sleeps).toEqual([750, 1500]);
  });

  it('does not resend a POST after a 5xx: the outcome is unknown', async () => {
    fake.inject({ path: '/create', fault: { kind: 'error', status: 502 } });
    await expect(api.request({ method: 'POST', path: '/create', body: {} }, ctx)).rejects.toBeInstanceOf(
      OutcomeUnknownError,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('does not resend a POST that timed out, and says it may have been applied', async () => {
    fake.inject({ path: '/create', fault: { kind: 'hang' }, afterHandling: true });
    const error = await api
      .request({ method: 'POST', path: '/create', body: {} }, ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toMatch(/timed out after 200 ms; it may or may not have been applied/);
    expect(hits).toBe(1);
  });

  it('resends a POST after a 429, waiting as long as Retry-After asks', async () => {
    fake.inject({ path: '/create', fault: { kind: 'rate-limit', retryAfterSeconds: 4 } });
    await api.request({ method: 'POST', path: '/create', body: {} }, ctx);
    expect(hits).toBe(1);
    expect(ctx.sleeps).toEqual([4_125]);
  });

  it('fails rather than stall when the rate limit asks for a very long wait', async () => {
    fake.inject({ path: '/x', fault: { kind: 'rate-limit', retryAfterSeconds: 3_600 } });
    await expect(api.request({ path: '/x' }, ctx)).rejects.toThrow(/rate limited for 1h/);
    expect(ctx.sleeps).toEqual([]);
  });

  it('retries a GET that times out and returns the answer of the next attempt', async () => {
    fake.inject({ path: '/x', fault: { kind: 'hang' } });
    const body = await api.request<{ ok: boolean }>({ path: '/x' }, ctx);
    expect(body.ok).toBe(true);
    expect(ctx.logs[0]).toMatch(/GET \/x timed out after 200 ms; retrying/);
  });

  it('stops at once when the run is aborted, without retrying', async () => {
    const controller = new AbortController();
    const aborting = createTestContext({ TEST_TOKEN: TOKEN }, controller.signal);
    fake.inject({ path: '/x', fault: { kind: 'hang' } });
    const request = api.request({ path: '/x' }, aborting);
    await waitFor('the request to reach the API', () => fake.requests.length === 1);
    controller.abort(new Error('interrupted'));
    await expect(request).rejects.toThrow('interrupted');
    expect(fake.requests).toHaveLength(1);
  });

  it('turns a 4xx into a ProviderError with the message and a redacted excerpt, without retrying', async () => {
    fake.inject({
      path: '/x',
      fault: { kind: 'error', status: 422, body: { error: { message: `bad ${TOKEN}` } } },
    });
    const error = (await api.request({ path: '/x' }, ctx).catch((e: unknown) => e)) as ProviderError;
    expect(error.status).toBe(422);
    expect(error.message).toBe('test: GET /x failed with HTTP 422: bad [REDACTED]');
    expect(error.bodyExcerpt).toBe('{"error":{"message":"bad [REDACTED]"}}');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a success body that is not JSON', async () => {
    await expect(api.request({ path: '/not-json' }, ctx)).rejects.toThrow(
      /GET \/not-json returned a body that is not JSON/,
    );
  });

  it('asks for the token variable when it is missing', async () => {
    await expect(api.request({ path: '/x' }, createTestContext({}))).rejects.toBeInstanceOf(UserError);
    expect(fake.requests).toHaveLength(0);
  });
});
