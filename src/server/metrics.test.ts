import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, NOW } from '../../test/support/server/fixture.js';
import { shopConfig } from '../../test/support/server/seed.js';
import { createAlertRunner } from '../alerts/index.js';
import { createApp } from './app.js';
import type { ServerContext } from './context.js';
import { EXPOSITION_CONTENT_TYPE, type MetricFamily, renderExposition } from './exposition.js';
import { createLagTracker } from './lag.js';
import { createLiveMetrics } from './live-metrics.js';
import { monitorLabels, UPTIME_RATIO_WINDOWS, uptimeWindow } from './metrics.js';
import type { ServiceDetail } from './service-detail.js';

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format 0.0.4: HELP then TYPE before a family's samples, one family at a time. */
function parseExposition(text: string): { types: Map<string, string>; samples: ParsedSample[] } {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: ParsedSample[] = [];
  let family = '';
  for (const line of text.slice(0, -1).split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)$/.exec(line);
    if (help) {
      expect(helped.has(help[1]!), `HELP twice for ${help[1]}`).toBe(false);
      helped.add(help[1]!);
      family = help[1]!;
      continue;
    }
    if (type) {
      expect(type[1], 'TYPE follows the HELP of the same family').toBe(family);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const [, name, labelText, valueText] = m!;
    const base = types.get(family) === 'summary' ? name!.replace(/_(sum|count)$/, '') : name;
    expect(base, `${name} outside its family`).toBe(family);
    const labels: Record<string, string> = {};
    const consumed = [...(labelText ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/g)];
    expect(consumed.map((c) => c[0]).join('')).toBe(labelText ?? '');
    for (const [, k, v] of consumed)
      labels[k!] = v!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    expect(Number.isNaN(value) && valueText !== 'NaN', `bad value ${valueText}`).toBe(false);
    samples.push({ name: name!, labels, value });
  }
  return { types, samples };
}

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
  await fx.current({ live: 'up', ready: 'down', ping: 'degraded', db: 'up' });
});
afterAll(() => fx.close());

const config = shopConfig({
  slos: [{ id: 'api-availability', service: 'api', indicator: 'availability', objective: '99.5%' }],
  alerts: [{ id: 'api-down', service: 'api', when: 'down' }],
});

describe('uptime windows', () => {
  it('are whole minutes ending with the current one, as long as asked, so every check up to now counts', () => {
    for (const now of [Date.parse('2026-03-01T10:00:00.000Z'), Date.parse('2026-03-01T10:00:59.999Z'), NOW])
      for (const ms of Object.values(UPTIME_RATIO_WINDOWS)) {
        const [from, to] = uptimeWindow(now, ms);
        expect(to - from).toBe(ms);
        expect(to % 60_000).toBe(0);
        expect(to).toBeGreaterThan(now);
        expect(to - now).toBeLessThanOrEqual(60_000);
      }
  });
});

describe('GET /metrics', () => {
  it('leaves out opsbook_up of a monitor whose last check is stale, as the status page calls it not known', async () => {
    // The newest results are 10 s before NOW; three hours later nothing has checked since (results cannot be
    // written, the engine stopped): a last "up" says nothing about now.
    const res = await createApp(fx.ctx(config, NOW + 3 * 3_600_000)).request('/metrics');
    const { samples } = parseExposition(await res.text());
    expect(samples.filter((s) => s.name === 'opsbook_up')).toEqual([]);
    const fresh = parseExposition(await (await createApp(fx.ctx(config)).request('/metrics')).text());
    expect(fresh.samples.filter((s) => s.name === 'opsbook_up')).toHaveLength(4);
  });

  it('exposes monitors, latency, uptime, SLO budget, firing alerts and schedule lag in format 0.0.4', async () => {
    const runner = createAlertRunner({ store: fx.store, config, environment: 'production', now: () => NOW });
    await runner.evaluate();
    await runner.close();
    const ctx = { ...fx.ctx(config), lag: createLagTracker() };
    for (const ms of [100, 200, 4_000]) ctx.lag.record(ms, NOW - 1_000);
    ctx.lag.record(9_000, NOW - 600_000); // outside the 5-minute window: only in sum and count

    const res = await createApp(ctx).request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    const { types, samples } = parseExposition(await res.text());
    expect(Object.fromEntries(types)).toEqual({
      opsbook_up: 'gauge',
      opsbook_probe_latency_seconds: 'summary',
      opsbook_uptime_ratio: 'gauge',
      opsbook_slo_error_budget_remaining: 'gauge',
      opsbook_alerts_firing: 'gauge',
      opsbook_monitor_schedule_lag_seconds: 'summary',
    });
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

    expect(value('opsbook_up', { service: 'api', monitor: 'liveness' })).toBe(1);
    expect(value('opsbook_up', { service: 'api', monitor: 'readiness' })).toBe(0);
    expect(value('opsbook_up', { service: 'web', monitor: 'ping' })).toBe(1);
    expect(value('opsbook_up', { service: 'db', monitor: 'postgres' })).toBe(1);

    // In the last 5 minutes only the current check (42 ms) answered; the failed readiness check has no latency.
    const live = { service: 'api', monitor: 'liveness' };
    for (const q of ['0.5', '0.9', '0.95', '0.99'])
      expect(value('opsbook_probe_latency_seconds', { ...live, quantile: q })).toBeCloseTo(0.042, 3);
    expect(value('opsbook_probe_latency_seconds_count', live)).toBe(1);
    expect(value('opsbook_probe_latency_seconds_sum', live)).toBeCloseTo(0.042, 6);
    expect(value('opsbook_probe_latency_seconds_count', { service: 'api', monitor: 'readiness' })).toBe(0);
    expect(samples.some((s) => s.labels.monitor === 'readiness' && s.labels.quantile)).toBe(false);

    const detail = (await (await createApp(ctx).request('/api/v1/services/api')).json()) as ServiceDetail;
    expect(value('opsbook_uptime_ratio', { service: 'api', window: '30d' })).toBe(
      detail.uptime['30d'].availability,
    );
    expect(value('opsbook_uptime_ratio', { service: 'api', window: '24h' })).toBe(
      detail.uptime['24h'].availability,
    );
    expect(value('opsbook_uptime_ratio', { service: 'api', window: '1h' })).toBeLessThan(1);

    const slo = (await (await createApp(ctx).request('/api/v1/slo')).json()) as {
      slos: { budgetRemaining: number }[];
    };
    expect(value('opsbook_slo_error_budget_remaining', { slo: 'api-availability', service: 'api' })).toBe(
      slo.slos[0]!.budgetRemaining,
    );
    // api-down, and the SLO's own burn-rate alert: the current failed check burns the budget fast.
    const alerts = (await (await createApp(ctx).request('/api/v1/alerts')).json()) as {
      alerts: { ruleId: string; status: string }[];
    };
    const firing = alerts.alerts.filter((a) => a.status === 'firing');
    expect(firing.map((a) => a.ruleId)).toContain('api-down');
    expect(value('opsbook_alerts_firing')).toBe(firing.length);

    expect(value('opsbook_monitor_schedule_lag_seconds', { quantile: '0.5' })).toBe(0.2);
    expect(value('opsbook_monitor_schedule_lag_seconds', { quantile: '0.99' })).toBe(4);
    expect(value('opsbook_monitor_schedule_lag_seconds_count')).toBe(4);
    expect(value('opsbook_monitor_schedule_lag_seconds_sum')).toBeCloseTo(13.3, 9);
  });

  it('with live aggregates: no latency query per scrape, one rendering for concurrent scrapes, engine pace', async () => {
    const live = createLiveMetrics(300_000);
    live.record({
      monitorId: 'production:api:liveness',
      at: new Date(NOW - 2_000).toISOString(),
      outcome: 'up',
      latencyMs: 30,
    });
    live.record({
      monitorId: 'production:api:liveness',
      at: new Date(NOW - 1_000).toISOString(),
      outcome: 'up',
      latencyMs: 50,
    });
    live.record({
      monitorId: 'production:api:liveness',
      at: new Date(NOW - 600_000).toISOString(),
      outcome: 'up',
      latencyMs: 9_000,
    });
    live.record({
      monitorId: 'production:api:readiness',
      at: new Date(NOW - 1_000).toISOString(),
      outcome: 'down',
      latencyMs: 5_000,
    });
    const base = fx.ctx(config);
    let latencyQueries = 0;
    let listings = 0;
    // Per-monitor latency queries are what made a scrape cost seconds; SLO and alert reads go by service.
    const monitoring = new Proxy(base.store.monitoring, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key === 'monitorStates') listings++;
        if (key !== 'latencyQuantiles') return value;
        return (selector: { monitor?: string }, ...rest: unknown[]) => {
          if (selector.monitor) latencyQueries++;
          return (value as (...a: unknown[]) => unknown).call(target, selector, ...rest);
        };
      },
    });
    const ctx = {
      ...base,
      store: { ...base.store, monitoring } as typeof base.store,
      live,
      shareRenderingsMs: 1_000,
      pace: () => ({ dueRate: 2000, pace: { behind: true, checksPerSecond: 1500, worstLagMs: 4000 } }),
    };
    const app = createApp(ctx);
    const texts = await Promise.all(
      Array.from({ length: 20 }, async () => (await app.request('/metrics')).text()),
    );
    expect(new Set(texts).size).toBe(1);
    expect(listings).toBe(1);
    expect(latencyQueries).toBe(0);
    const { samples } = parseExposition(texts[0]!);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
    const liveness = { service: 'api', monitor: 'liveness' };
    expect(value('opsbook_probe_latency_seconds_count', liveness)).toBe(2);
    expect(value('opsbook_probe_latency_seconds_sum', liveness)).toBeCloseTo(0.08, 6);
    expect(value('opsbook_probe_latency_seconds', { ...liveness, quantile: '0.5' })).toBeCloseTo(0.03, 3);
    expect(value('opsbook_probe_latency_seconds_count', { service: 'api', monitor: 'readiness' })).toBe(0);
    expect(value('opsbook_monitor_engine_behind')).toBe(1);
    expect(value('opsbook_monitor_engine_checks_per_second', { kind: 'due' })).toBe(2000);
    expect(value('opsbook_monitor_engine_checks_per_second', { kind: 'done' })).toBe(1500);
  });

  it('leaves out the schedule lag when this process runs no monitor engine', async () => {
    const { lag: _lag, ...ctx } = fx.ctx(config);
    const text = await (await createApp(ctx).request('/metrics')).text();
    expect(parseExposition(text).types.has('opsbook_monitor_schedule_lag_seconds')).toBe(false);
  });
});

describe('monitor labels between scrapes', () => {
  it('are rendered once per monitor, again when its service or environment changes, and forgotten when it goes', async () => {
    const ctx = {} as ServerContext;
    const live = { id: 'production:api:liveness', environment: 'production', service: 'api' };
    const [first] = await monitorLabels(ctx, [live]);
    expect(first?.text).toBe('service="api",monitor="liveness"');
    expect(first?.up).toBe('opsbook_up{service="api",monitor="liveness"} ');
    expect(first?.quantiles).toEqual(
      ['0.5', '0.9', '0.95', '0.99'].map(
        (q) => `opsbook_probe_latency_seconds{service="api",monitor="liveness",quantile="${q}"} `,
      ),
    );
    expect(first?.sum).toBe('opsbook_probe_latency_seconds_sum{service="api",monitor="liveness"} ');
    expect(first?.count).toBe('opsbook_probe_latency_seconds_count{service="api",monitor="liveness"} ');
    expect((await monitorLabels(ctx, [live]))[0]).toBe(first);
    // The same id under another service: its labels say so.
    expect((await monitorLabels(ctx, [{ ...live, service: 'web' }]))[0]?.text).toBe(
      'service="web",monitor="production:api:liveness"',
    );
    expect((await monitorLabels(ctx, [{ ...live, environment: 'staging' }]))[0]?.text).toBe(
      'service="api",monitor="production:api:liveness"',
    );
    // Gone from one scrape, new on the next: rendered afresh, not kept from before.
    await monitorLabels(ctx, []);
    const [again] = await monitorLabels(ctx, [live]);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    // Another server's scrapes have their own labels.
    expect((await monitorLabels({} as ServerContext, [live]))[0]).not.toBe(again);
  });
});

describe('renderExposition', () => {
  const families: MetricFamily[] = [
    {
      name: 'x_ratio',
      help: 'a \\ b\nc',
      type: 'gauge',
      samples: [{ labels: { service: 'say "hi"\\n\n' }, value: Number.NEGATIVE_INFINITY }, { value: 0.25 }],
    },
    { name: 'y_total', help: 'none yet', type: 'counter', samples: [] },
  ];

  it('escapes label values and help text and writes infinities as Prometheus does', async () => {
    const text = (await renderExposition(families)).toString('utf8');
    expect(text).toBe(
      '# HELP x_ratio a \\\\ b\\nc\n# TYPE x_ratio gauge\nx_ratio{service="say \\"hi\\"\\\\n\\n"} -Inf\nx_ratio 0.25\n' +
        '# HELP y_total none yet\n# TYPE y_total counter\n',
    );
    expect(parseExposition(text).samples[0]).toEqual({
      name: 'x_ratio',
      labels: { service: 'say "hi"\\n\n' },
      value: -Infinity,
    });
  });

  it('writes the same UTF-8 however finely it slices the work', async () => {
    const wide: MetricFamily = {
      name: 'z_up',
      help: 'names beyond ASCII',
      type: 'gauge',
      samples: ['café', 'señal ✓', '日本'].map((service, i) => ({ labels: { service }, value: i })),
      lines: ['z_up{service="ünï"} 3\n', 'z_up{service="a"} 4\nz_up{service="b"} 5\n'],
    };
    const bytes = await renderExposition([...families, wide], 1);
    expect(bytes.equals(await renderExposition([...families, wide]))).toBe(true);
    // The caller's lines follow the samples, under the family's one HELP and TYPE.
    expect(bytes.toString('utf8')).toContain(
      '# TYPE z_up gauge\nz_up{service="café"} 0\nz_up{service="señal ✓"} 1\nz_up{service="日本"} 2\n' +
        'z_up{service="ünï"} 3\nz_up{service="a"} 4\nz_up{service="b"} 5\n',
    );
  });

  it('keeps every byte when the text outgrows its buffer in the middle of multi-byte labels', async () => {
    const many: MetricFamily = {
      name: 'w_up',
      help: 'many',
      type: 'gauge',
      samples: Array.from({ length: 4_000 }, (_, i) => ({
        labels: { name: `señal ✓ 日本 𝄞 ${i}` },
        value: i,
      })),
    };
    const lines = many.samples.map((s) => `w_up{name="${s.labels?.name}"} ${s.value}`);
    // A small rendering first: the next one's buffer starts at about its size, and this one outgrows it many times.
    const small = await renderExposition(families);
    const bytes = await renderExposition([many]);
    expect(bytes.length).toBeGreaterThan(100 * small.length);
    expect(bytes.toString('utf8')).toBe(`# HELP w_up many\n# TYPE w_up gauge\n${lines.join('\n')}\n`);
  });
});
