import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, NOW } from '../../test/support/server/fixture.js';
import { shopConfig } from '../../test/support/server/seed.js';
import { stackSchema } from '../config/schema.js';
import { createApp } from './app.js';
import { maintenanceFlagKey } from './maintenance.js';
import type { StackStatus } from './status-model.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx.close());

const allUp = { live: 'up', ready: 'up', ping: 'up', db: 'up' } as const;

async function status(config = shopConfig(), now = NOW): Promise<StackStatus> {
  const res = await createApp(fx.ctx(config, now)).request('/api/v1/status');
  expect(res.status).toBe(200);
  return (await res.json()) as StackStatus;
}
const stateOf = (s: StackStatus, service: string) => s.components.find((c) => c.service === service)?.state;

describe('GET /api/v1/status', () => {
  it('lists every web and static service as a component, all operational when their checks pass', async () => {
    await fx.current(allUp);
    const s = await status();
    expect(s.components.map((c) => [c.service, c.state])).toEqual([
      ['api', 'operational'],
      ['web', 'operational'],
    ]);
    expect(s.overall).toEqual({ state: 'operational', description: 'All Systems Operational' });
    expect(s).toMatchObject({ stack: 'shop', environment: 'production', health: 'healthy', incidents: [] });
  });

  it('shows partial_outage when only some of a service’s probes fail', async () => {
    await fx.current({ ...allUp, ready: 'down' });
    const s = await status();
    expect(stateOf(s, 'api')).toBe('partial_outage');
    expect(s.overall).toEqual({ state: 'partial_outage', description: 'api Experiencing Partial Outage' });
  });

  it('shows major_outage when every probe fails or a critical dependency is down', async () => {
    await fx.current({ ...allUp, live: 'down', ready: 'down' });
    expect(stateOf(await status(), 'api')).toBe('major_outage');
    await fx.current({ ...allUp, db: 'down' });
    const s = await status();
    expect(stateOf(s, 'api')).toBe('major_outage');
    expect(stateOf(s, 'web')).toBe('operational');
    expect(s.health).toBe('unhealthy');
  });

  it('never shows a dependent worse than the failing service, nor a never-probed one as an outage', async () => {
    const config = stackSchema.parse({
      name: 'shop',
      monitoring: { interval: '1m' },
      services: {
        api: {
          kind: 'web',
          urls: { production: 'https://api.example.test' },
          dependsOn: ['db'],
          health: [
            { type: 'liveness', path: '/live' },
            { type: 'readiness', path: '/ready' },
          ],
        },
        // Probed, its one check passes, but it needs api.
        web: {
          kind: 'static',
          urls: { production: 'https://www.example.test' },
          dependsOn: ['api'],
          health: [{ type: 'ping', path: '/' }],
        },
        // No monitor has ever run for it.
        admin: { kind: 'web', urls: { production: 'https://admin.example.test' }, dependsOn: ['api'] },
        db: { kind: 'database' },
      },
    });
    await fx.current({ ...allUp, ready: 'down' });
    const s = await status(config);
    expect(s.components.map((c) => [c.service, c.state])).toEqual([
      ['api', 'partial_outage'],
      ['web', 'partial_outage'],
      ['admin', 'unknown'],
    ]);
    expect(s.health).toBe('unhealthy');
  });

  it('shows degraded_performance for a degraded service', async () => {
    await fx.current({ ...allUp, ping: 'degraded' });
    expect(stateOf(await status(), 'web')).toBe('degraded_performance');
  });

  it('treats results older than three intervals as not known', async () => {
    await fx.current(allUp);
    const s = await status(shopConfig(), NOW + 10 * 60_000);
    expect(s.components.map((c) => c.state)).toEqual(['unknown', 'unknown']);
    expect(s.overall.state).toBe('unknown');
  });

  it('publishes only the configured components, under their display names', async () => {
    await fx.current(allUp);
    const s = await status(
      shopConfig({ statusPage: { components: [{ service: 'web', name: 'Website' }, 'db'] } }),
    );
    expect(s.components.map((c) => [c.service, c.name, c.state])).toEqual([
      ['web', 'Website', 'operational'],
      ['db', 'db', 'operational'],
    ]);
  });
});

describe('maintenance', () => {
  it('puts the components named by the maintenance flag under maintenance, whatever their health', async () => {
    await fx.current({ ...allUp, ping: 'down' });
    await fx.store.putCache(maintenanceFlagKey('production'), { services: ['web'] });
    try {
      const s = await status();
      expect([stateOf(s, 'api'), stateOf(s, 'web')]).toEqual(['operational', 'under_maintenance']);
      expect(s.overall.description).toBe('web Under Maintenance');
    } finally {
      await fx.store.putCache(maintenanceFlagKey('production'), null);
    }
  });

  it('shows the services of an open maintenance window, scheduled or started by hand, and not once it ended', async () => {
    await fx.current(allUp);
    // Sundays 11:00 UTC for 2 h: NOW (Sunday 2026-03-15 12:00) is inside.
    const scheduled = shopConfig({
      maintenanceWindows: [{ id: 'sunday', services: ['web'], every: '0 11 * * 0', duration: '2h' }],
    });
    expect([stateOf(await status(scheduled), 'api'), stateOf(await status(scheduled), 'web')]).toEqual([
      'operational',
      'under_maintenance',
    ]);
    // Later the checks are stale (unknown): what matters is that maintenance is over.
    expect(stateOf(await status(scheduled, NOW + 2 * 3600e3), 'web')).not.toBe('under_maintenance');
    const { startWindow, endWindow } = await import('../maintenance-windows/index.js');
    const config = shopConfig();
    // Started 10 minutes ago for 30 minutes (the store is shared: it must be over by NOW for the next tests).
    const ctx = { config, store: fx.store, now: () => new Date(NOW - 10 * 60e3) };
    const w = await startWindow(ctx, {
      services: ['api'],
      environment: 'production',
      duration: '30m',
      actor: 'ann',
    });
    expect(stateOf(await status(config), 'api')).toBe('under_maintenance');
    expect(stateOf(await status(config, NOW + 21 * 60e3), 'api')).not.toBe('under_maintenance');
    await endWindow({ ...ctx, now: () => new Date(NOW - 60e3) }, 'production', w.id);
    expect(stateOf(await status(config), 'api')).toBe('operational');
  });

  it('follows a running deploy holding the environment lock when deploy.maintenancePage is on', async () => {
    await fx.current(allUp);
    const run = await fx.store.createRun({
      kind: 'deploy',
      environment: 'production',
      summary: { plan: { groups: [['api']] }, phase: 'deployed', services: {}, times: {} },
    });
    await fx.store.acquireLock('deploy:production', { holder: `${run.id} on somehost pid 1` });
    try {
      const on = shopConfig({ deploy: { maintenancePage: true } });
      expect(stateOf(await status(on), 'api')).toBe('under_maintenance');
      expect(stateOf(await status(on), 'web')).toBe('operational');
      expect(stateOf(await status(shopConfig()), 'api')).toBe('operational');
      // Finished but still locked (kept after a rollback): the health speaks again.
      await fx.store.updateRun(run.id, { status: 'rolled-back' });
      expect(stateOf(await status(on), 'api')).toBe('operational');
    } finally {
      await fx.store.forceReleaseLock('deploy:production');
    }
  });
});

describe('GET /status', () => {
  // Its own history: the checks the tests above recorded today would change today's bar.
  let fresh: Fixture;
  beforeAll(async () => {
    fresh = await createFixture();
  });
  afterAll(() => fresh.close());

  it('renders each component with 90 titled day bars, 90-day uptime and current p95', async () => {
    await fresh.current(allUp);
    const res = await createApp(fresh.ctx()).request('/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    const component = (service: string) =>
      new RegExp(`<li class="component [^"]*" data-service="${service}"[\\s\\S]*?</div>\n</li>`).exec(
        html,
      )?.[0] ?? '';
    const bars = (service: string) => [
      ...component(service).matchAll(/<li class="(u-[a-z0-9]+)" title="([^"]+)" aria-label="([^"]+)">/g),
    ];

    const api = bars('api');
    expect(api).toHaveLength(90);
    for (const [, , title, label] of api) {
      expect(title).toMatch(/^\d{4}-\d{2}-\d{2}: (\d+(\.\d\d)?% uptime|no data)$/);
      expect(label).toBe(title);
    }
    const tenDaysAgo = new Date(NOW - 10 * 86_400_000).toISOString().slice(0, 10);
    const bad = api.find((b) => b[2]!.startsWith(tenDaysAgo))!;
    // 6 of 24 liveness checks and none of 24 readiness checks failed: 42/48.
    expect(bad[2]).toBe(`${tenDaysAgo}: 87.50% uptime`);
    expect(bad[1]).toBe('u-low');
    expect(api.at(-1)![2]).toBe(`${new Date(NOW).toISOString().slice(0, 10)}: 100% uptime`);

    const web = bars('web');
    expect(web).toHaveLength(90);
    expect(web.slice(0, 60).every((b) => b[1] === 'u-none' && b[2]!.endsWith('no data'))).toBe(true);
    expect(web.slice(60).every((b) => b[1] !== 'u-none')).toBe(true);

    const apiTotal = fresh.samples.live.length + fresh.samples.ready.length + 2;
    const apiDown = 6;
    const expected = (Math.floor(((apiTotal - apiDown) / apiTotal) * 10_000) / 100).toFixed(2);
    expect(component('api')).toContain(`${expected}% uptime · p95 `);
    expect(html).toContain('<h2 id="incidents-title">Current incidents</h2>');
    expect(html).toContain('No incidents');
    expect(html).toContain('All Systems Operational');
  });

  it('escapes every configured text and never shows monitor targets or messages', async () => {
    await fresh.current(
      { ...allUp, ready: 'down' },
      'GET https://admin:hunter22@api.example.test/ready returned 503',
    );
    const config = shopConfig({
      statusPage: {
        title: 'Shop <b>"status"</b>',
        components: [{ service: 'api', name: '<script>alert(1)</script>' }],
      },
    });
    const html = await (await createApp(fresh.ctx(config)).request('/status')).text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Shop &lt;b&gt;&quot;status&quot;&lt;/b&gt;');
    expect(html).not.toContain('example.test');
    expect(html).not.toContain('hunter22');
    expect(html).toContain('data-state="partial_outage"');
  });

  it('redirects / to /status', async () => {
    const res = await createApp(fresh.ctx()).request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/status');
  });
});
