import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import type { StackConfig, StackConfigInput } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
import { probeRedis } from '../probes/index.js';
import { createRedactor } from '../redact/index.js';
import { type CheckHealthOptions, checkHealth, type HealthReport } from './index.js';

const REDIS_URL = process.env.OPSBOOK_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** What the loopback api and search services answer; tests flip it between checks. */
const state = { api: 'healthy' as 'healthy' | 'degraded' | 'unhealthy', search: 200 };
let api: TestServer;
let search: TestServer;

beforeAll(async () => {
  api = await startServer((req, res) => {
    if (req.url === '/health/live') return sendJson(res, 200, { ok: true });
    if (req.url === '/admin/health') return sendJson(res, 200, {});
    sendJson(res, state.api === 'unhealthy' ? 503 : 200, {
      status: state.api,
      services: { database: { status: state.api === 'unhealthy' ? 'down' : 'up' } },
    });
  });
  search = await startServer((_req, res) => sendJson(res, state.search, { ok: state.search === 200 }));
});
afterAll(async () => {
  await api.close();
  await search.close();
});

function stack(services: StackConfigInput['services']): StackConfig {
  return stackSchema.parse({ name: 'shop', monitoring: { retries: 0 }, services });
}

const apiService = (dependsOn: NonNullable<StackConfigInput['services'][string]['dependsOn']>) => ({
  kind: 'web' as const,
  urls: { production: api.url },
  dependsOn,
  health: [
    { type: 'liveness' as const, path: '/health/live' },
    {
      type: 'deep' as const,
      name: 'dependencies',
      path: '/health',
      expect: { status: 200, body: [{ path: 'status', in: ['healthy', 'degraded'] }] },
      degraded: [{ path: 'status', equals: 'degraded' }],
    },
    { type: 'detailed' as const, path: '/admin/health' },
  ],
});

const searchService = () => ({
  kind: 'web' as const,
  urls: { production: search.url },
  health: [{ type: 'readiness' as const, path: '/ready' }],
});

const check = (config: StackConfig, over: Partial<CheckHealthOptions> = {}) =>
  checkHealth({ config, environment: 'production', env: {}, signal: new AbortController().signal, ...over });

const byName = (report: HealthReport, name: string) => report.services.find((s) => s.service === name);

describe('checkHealth against loopback services', () => {
  it('follows a service through healthy, degraded and unhealthy', async () => {
    const config = stack({ api: apiService([]) });
    state.api = 'healthy';
    const healthy = await check(config);
    expect(healthy.state).toBe('healthy');
    expect(byName(healthy, 'api')).toMatchObject({ state: 'healthy', reasons: [] });
    expect(byName(healthy, 'api')?.probes.map((p) => [p.name, p.result.outcome])).toEqual([
      ['liveness', 'up'],
      ['dependencies', 'up'],
    ]);

    state.api = 'degraded';
    const degraded = await check(config);
    expect(degraded.state).toBe('degraded');
    expect(byName(degraded, 'api')?.reasons).toEqual(["dependencies: status is 'degraded' (degraded)"]);

    state.api = 'unhealthy';
    const unhealthy = await check(config);
    expect(unhealthy.state).toBe('unhealthy');
    expect(byName(unhealthy, 'api')?.reasons).toEqual([
      "dependencies: status 503, expected 200; status is 'unhealthy', expected one of 'healthy', 'degraded'",
    ]);
    state.api = 'healthy';
  });

  it('calls only liveness, readiness, deep and ping endpoints by default', async () => {
    const before = api.requests.length;
    await check(stack({ api: apiService([]) }));
    expect(
      api.requests
        .slice(before)
        .map((r) => r.url)
        .sort(),
    ).toEqual(['/health', '/health/live']);
  });

  it('is degraded when a non-critical dependency is down, unhealthy when a critical one is; the stack is down either way', async () => {
    state.search = 500;
    const nonCritical = await check(
      stack({ api: apiService([{ service: 'search', critical: false }]), search: searchService() }),
    );
    expect(byName(nonCritical, 'search')?.state).toBe('unhealthy');
    expect(byName(nonCritical, 'api')).toMatchObject({
      state: 'degraded',
      reasons: ['non-critical dependency search is unhealthy'],
      dependencies: [{ service: 'search', critical: false, state: 'unhealthy' }],
    });
    // search's own endpoint fails: the stack is unhealthy whatever depends on search, and however.
    expect(nonCritical.state).toBe('unhealthy');
    expect(nonCritical.reasons).toContain('search is unhealthy');

    const critical = await check(stack({ api: apiService(['search']), search: searchService() }));
    expect(byName(critical, 'api')).toMatchObject({
      state: 'unhealthy',
      reasons: ['critical dependency search is unhealthy'],
    });
    expect(critical.state).toBe('unhealthy');
    state.search = 200;
  });

  it('marks a database unhealthy from its URL when nothing listens, and its dependents with it', async () => {
    const url = `postgres://app:pw-0a1b2c3d@127.0.0.1:${await closedPort()}/shop`;
    const redactor = createRedactor();
    const report = await check(
      stack({
        api: { ...apiService(['db']), env: { DATABASE_URL: { secret: true } } },
        db: { kind: 'database', engine: { name: 'postgres' } },
      }),
      { env: { DATABASE_URL: url }, redactor },
    );
    const db = byName(report, 'db');
    expect(db?.state).toBe('unhealthy');
    expect(db?.probes[0]?.target).toMatch(/^postgres:\/\/app@127\.0\.0\.1:\d+\/shop \(from DATABASE_URL\)$/);
    expect(db?.reasons[0]).toContain('ECONNREFUSED');
    expect(byName(report, 'api')?.state).toBe('unhealthy');
    expect(report.state).toBe('unhealthy');
    expect(JSON.stringify(report)).not.toContain('pw-0a1b2c3d');
    expect(redactor.redact(url)).toBe('[REDACTED]');
  });

  it('leaves a database without a URL and an external service unknown, which does not count as down', async () => {
    const report = await check(
      stack({
        api: apiService(['supabase', 'stripe']),
        supabase: { kind: 'database', platform: 'supabase' },
        stripe: { kind: 'external' },
      }),
      { env: { SUPABASE_URL: 'https://abc.supabase.co' } },
    );
    expect(byName(report, 'supabase')).toMatchObject({
      state: 'unknown',
      reasons: [
        'no URL to probe (looked for SUPABASE_URL, SUPABASE_DATABASE_URL, DATABASE_URL, POSTGRES_URL)',
      ],
    });
    expect(byName(report, 'stripe')).toMatchObject({
      state: 'unknown',
      reasons: ['external service: no probe configured'],
    });
    expect(byName(report, 'api')?.state).toBe('healthy');
    expect(report.state).toBe('healthy');
    expect(report.reasons).toEqual(['not known: supabase, stripe']);
  });

  it('reports a missing auth variable by name as the reason', async () => {
    const report = await check(
      stack({
        api: {
          kind: 'web',
          urls: { production: api.url },
          health: [
            { type: 'ping', path: '/health', auth: { type: 'bearer', token: { env: 'API_HEALTH_TOKEN' } } },
          ],
        },
      }),
    );
    expect(report.state).toBe('unhealthy');
    expect(byName(report, 'api')?.reasons[0]).toMatch(
      /^ping: environment variable API_HEALTH_TOKEN is not set/,
    );
  });

  it("checks only a service and its dependencies with `service`, taking that service's state", async () => {
    state.search = 500;
    const config = stack({
      api: apiService([{ service: 'search', critical: false }]),
      search: searchService(),
      worker: { kind: 'worker', dependsOn: ['search'] },
    });
    const report = await check(config, { service: 'api' });
    expect(report.services.map((s) => s.service)).toEqual(['api', 'search']);
    expect(report).toMatchObject({ service: 'api', state: 'degraded' });
    await expect(check(config, { service: 'apj' })).rejects.toThrow(UserError);
    await expect(check(config, { service: 'apj' })).rejects.toMatchObject({ hint: "did you mean 'api'?" });
    state.search = 200;
  });

  it('keeps at most `concurrency` probes in flight', async () => {
    // Requests are held until two are in flight, then answered together: the overlap does not depend on timing.
    // (With a limit of 1, the first would wait for ever and the test time out.)
    let inFlight = 0;
    let most = 0;
    const held: (() => void)[] = [];
    const slow = await startServer((_req, res) => {
      most = Math.max(most, ++inFlight);
      held.push(() => {
        inFlight--;
        sendJson(res, 200, {});
      });
      if (inFlight >= 2) for (const answer of held.splice(0)) answer();
    });
    const services = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [
        `svc${i}`,
        {
          kind: 'web' as const,
          urls: { production: slow.url },
          health: [{ type: 'ping' as const, path: '/' }],
        },
      ]),
    );
    const report = await check(stack(services), { concurrency: 2 });
    await slow.close();
    expect(report.state).toBe('healthy');
    expect(slow.requests).toHaveLength(6);
    expect(most).toBe(2);
  });
});

const pgUp = await pgAvailable();
if (!pgUp) markPgSkipped(`checkHealth: ${pgUrl()} unreachable`);
const redisUp = (
  await probeRedis({ url: REDIS_URL, timeoutMs: 2000 }, { signal: AbortSignal.timeout(3000), env: {} })
).ok;
if (!redisUp) process.stderr.write(`\n!!! checkHealth Redis test SKIPPED: ${REDIS_URL} unreachable\n\n`);

describe.skipIf(!pgUp || !redisUp)('checkHealth with the real PostgreSQL and Redis', () => {
  it('probes both through the URLs the apps read and finds the stack healthy', async () => {
    const report = await check(
      stack({
        api: {
          ...apiService(['postgres', { service: 'cache', critical: false }]),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Railway's reference syntax, not a template
          env: { REDIS_URL: { from: '${{cache.REDIS_URL}}' } },
        },
        postgres: { kind: 'database', engine: { name: 'postgres' } },
        cache: { kind: 'cache', engine: { name: 'redis' } },
      }),
      { env: { POSTGRES_URL: pgUrl(), REDIS_URL } },
    );
    expect(byName(report, 'postgres')?.probes.map((p) => [p.kind, p.result.outcome])).toEqual([
      ['postgres', 'up'],
    ]);
    expect(byName(report, 'postgres')?.probes[0]?.target).toMatch(/\(from POSTGRES_URL\)$/);
    expect(byName(report, 'cache')?.probes.map((p) => [p.kind, p.result.outcome])).toEqual([['redis', 'up']]);
    expect(report.services.map((s) => s.state)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(report.state).toBe('healthy');
  });
});
