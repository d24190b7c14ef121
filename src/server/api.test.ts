import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, NOW } from '../../test/support/server/fixture.js';
import { DAY, shopConfig } from '../../test/support/server/seed.js';
import { addSilence, createAlertRunner } from '../alerts/index.js';
import { ProviderError } from '../errors.js';
import type { Store } from '../store/index.js';
import { createApp } from './app.js';
import type { ServiceDetail } from './service-detail.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
  await fx.current(
    { live: 'up', ready: 'down', ping: 'up', db: 'up' },
    'GET https://admin:s3cr3t-pass@api.example.test/ready returned 503',
  );
});
afterAll(() => fx.close());

const get = async (path: string, config = shopConfig()) => {
  const res = await createApp(fx.ctx(config)).request(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
};

/** The values either side of the exact q-quantile (rank q·(n−1)), widened by the sketch's 1%. */
function quantileRange(values: number[], q: number): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  return [sorted[Math.floor(rank)]! * 0.99, sorted[Math.ceil(rank)]! * 1.01];
}

describe('GET /api/v1/services/:name', () => {
  it('reports health, uptime over 24h, 7d and 30d, latency percentiles and the newest samples', async () => {
    const { status, body, headers } = await get('/api/v1/services/api');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    const d = body as unknown as ServiceDetail;
    expect(d).toMatchObject({ service: 'api', kind: 'web', environment: 'production', health: 'unhealthy' });
    expect(d.monitors.map((m) => [m.name, m.outcome])).toEqual([
      ['liveness', 'up'],
      ['readiness', 'down'],
    ]);

    const seeded = [...fx.samples.live, ...fx.samples.ready];
    const current = 2; // the two results set in beforeAll, one of them down
    for (const [window, ms] of [
      ['24h', DAY],
      ['7d', 7 * DAY],
      ['30d', 30 * DAY],
    ] as const) {
      const inWindow = seeded.filter((s) => Number(s.at) > NOW - ms);
      const down = inWindow.filter((s) => s.outcome === 'down').length + 1;
      const total = inWindow.length + current;
      expect(d.uptime[window]).toEqual({ total, down, availability: (total - down) / total });
    }
    expect(d.uptime['30d'].down).toBe(7); // day 10's six failures and the current one

    const latencies = [
      ...seeded.filter((s) => Number(s.at) > NOW - DAY && s.outcome !== 'down').map((s) => s.latencyMs),
      42,
    ];
    expect(d.latency.count).toBe(latencies.length);
    for (const [q, key] of [
      [0.5, 'p50Ms'],
      [0.95, 'p95Ms'],
      [0.99, 'p99Ms'],
    ] as const) {
      const [lo, hi] = quantileRange(latencies, q);
      expect(d.latency[key]).toBeGreaterThanOrEqual(lo);
      expect(d.latency[key]).toBeLessThanOrEqual(hi);
    }

    expect(d.samples).toHaveLength(20);
    expect(d.samples[0]).toMatchObject({ at: new Date(NOW - 10_000).toISOString() });
    const times = d.samples.map((s) => s.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('masks credentials inside URLs in messages, registered as secrets or not', async () => {
    const text = JSON.stringify((await get('/api/v1/services/api')).body);
    expect(text).not.toContain('s3cr3t-pass');
    expect(text).toContain('https://[REDACTED]@api.example.test/ready returned 503');
  });

  it('answers 404 with a suggestion for a service that does not exist', async () => {
    const { status, body } = await get('/api/v1/services/apx');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: { code: 'not-found', message: "no service 'apx' in production", hint: "did you mean 'api'?" },
    });
  });
});

describe('GET /api/v1/slo', () => {
  it('reports the error budget from the monitor history', async () => {
    const config = shopConfig({
      slos: [{ id: 'api-availability', service: 'api', indicator: 'availability', objective: '99.5%' }],
    });
    const { body } = await get('/api/v1/slo', config);
    const uptime = (await get('/api/v1/services/api')).body as unknown as ServiceDetail;
    const [slo] = body.slos as { id: string; total: number; good: number; budgetRemaining: number }[];
    expect(slo).toMatchObject({ id: 'api-availability', total: uptime.uptime['30d'].total });
    const bad = slo!.total - slo!.good;
    expect(bad).toBe(uptime.uptime['30d'].down);
    expect(slo!.budgetRemaining).toBeCloseTo(1 - bad / slo!.total / 0.005, 6);
  });
});

describe('GET /api/v1/alerts', () => {
  it('lists firing alerts and the active silences', async () => {
    const config = shopConfig({
      alerts: [
        { id: 'api-down', service: 'api', when: 'down' },
        { id: 'web-down', service: 'web', when: 'down' },
      ],
    });
    const runner = createAlertRunner({ store: fx.store, config, environment: 'production', now: () => NOW });
    await runner.evaluate();
    await runner.close();
    await addSilence({
      store: fx.store,
      matchers: ['service=api'],
      duration: '2h',
      comment: 'deploying the fix',
      createdBy: 'alice',
      environment: 'production',
    });
    const { body } = await get('/api/v1/alerts', config);
    const alerts = body.alerts as { ruleId: string; status: string }[];
    expect(alerts.map((a) => [a.ruleId, a.status])).toEqual([['api-down', 'firing']]);
    expect(body.silences).toMatchObject([
      { comment: 'deploying the fix', matchers: [{ label: 'service', op: '=', value: 'api' }] },
    ]);
  });
});

describe('GET /api/v1/deploys', () => {
  it('lists recent deploy runs, newest first, with commit, services and times', async () => {
    const first = await fx.store.createRun({
      kind: 'deploy',
      environment: 'production',
      status: 'succeeded',
    });
    await fx.store.createRun({ kind: 'deploy', environment: 'staging' });
    await fx.store.createRun({ kind: 'check', environment: 'production' });
    const second = await fx.store.createRun({
      kind: 'deploy',
      environment: 'production',
      actor: 'Ada Lovelace <ada@example.com>',
      summary: {
        plan: { groups: [['api', 'web']], commit: 'abc1234' },
        phase: 'verified',
        commit: 'abc1234',
        services: { api: { state: 'live' }, web: { state: 'deploying' } },
        times: { requestedAt: '2026-03-15T11:00:00.000Z', liveAt: '2026-03-15T11:03:00.000Z' },
      },
    });
    const { body } = await get('/api/v1/deploys');
    const deploys = body.deploys as Record<string, unknown>[];
    expect(deploys.map((d) => d.id)).toEqual([second.id, first.id]);
    expect(deploys[0]).toMatchObject({
      status: 'running',
      phase: 'verified',
      commit: 'abc1234',
      services: [
        { service: 'api', state: 'live' },
        { service: 'web', state: 'deploying' },
      ],
      times: { requestedAt: '2026-03-15T11:00:00.000Z', liveAt: '2026-03-15T11:03:00.000Z' },
    });
    expect(((await get('/api/v1/deploys?limit=1')).body.deploys as unknown[]).length).toBe(1);
  });

  it('does not publish who deployed: no name, no email', async () => {
    await fx.store.createRun({
      kind: 'deploy',
      environment: 'production',
      actor: 'Grace Hopper <grace@example.com>',
    });
    const text = JSON.stringify((await get('/api/v1/deploys')).body);
    expect(text).not.toContain('Grace');
    expect(text).not.toContain('grace@example.com');
    expect(text).not.toContain('"actor"');
  });

  it('rejects a bad limit with a 400 and the reason', async () => {
    const { status, body } = await get('/api/v1/deploys?limit=lots');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'bad-request',
      message: "limit must be a whole number from 1 to 100, not 'lots'",
    });
  });
});

describe('errors', () => {
  const failing = (error: Error): Store =>
    ({
      ...fx.store,
      monitoring: {
        ...fx.store.monitoring,
        listMonitors: () => Promise.reject(error),
        monitorStates: () => Promise.reject(error),
      },
    }) as Store;

  it('answers a bug with a plain 500 and logs it without credentials', async () => {
    const logged: string[] = [];
    const ctx = { ...fx.ctx(), store: failing(new Error('connect to postgres://ops:pw-9f8e7d@db failed')) }; // gitleaks:allow (a fake secret for this test)
    const res = await createApp(ctx, { log: (m) => logged.push(m) }).request('/api/v1/status');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(text).not.toContain('postgres');
    expect(logged.join('\n')).toContain(
      'GET /api/v1/status failed: Error: connect to postgres://[REDACTED]@db failed',
    );
    expect(logged.join('\n')).not.toContain('pw-9f8e7d');
  });

  it('maps a ProviderError to 502 as main.ts does', async () => {
    const ctx = { ...fx.ctx(), store: failing(new ProviderError('render', 'deploy list failed', 503)) };
    const res = await createApp(ctx).request('/metrics');
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: { code: 'provider-error', message: 'render: deploy list failed (HTTP 503)' },
    });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await createApp(fx.ctx()).request('/api/v1/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not-found' } });
  });
});
