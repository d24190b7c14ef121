// /metrics for passive monitors (heartbeats, backup dead-man's switches): they are up or down, and time nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, NOW } from '../../test/support/server/fixture.js';
import { monitor, setCurrent } from '../../test/support/server/seed.js';
import type { MonitorDefinition } from '../store/index.js';
import { createApp } from './app.js';

let fx: Fixture;
const heartbeat: MonitorDefinition = {
  ...monitor('worker', 'heartbeat-nightly', 'ping every 1d (+5m)'),
  kind: 'heartbeat',
};

beforeAll(async () => {
  fx = await createFixture();
  await fx.current({ live: 'up', ready: 'up', ping: 'up', db: 'up' });
  await fx.store.monitoring.syncMonitors('production', [
    ...(await fx.store.monitoring.listMonitors({ environment: 'production' })),
    heartbeat,
  ]);
  await setCurrent(fx.store, heartbeat, NOW - 10_000, 'up');
});
afterAll(() => fx.close());

describe('/metrics for a heartbeat monitor', () => {
  it('exports whether it is up, and no check latency: a heartbeat measures none', async () => {
    const text = await (await createApp(fx.ctx()).request('/metrics')).text();
    expect(text).toMatch(/^opsbook_up\{service="worker",monitor="heartbeat-nightly"\} 1$/m);
    expect(text).not.toMatch(
      /^opsbook_probe_latency_seconds\w*\{service="worker",monitor="heartbeat-nightly"/m,
    );
    // The HTTP checks keep theirs.
    expect(text).toMatch(/^opsbook_probe_latency_seconds_count\{service="api",monitor="liveness"\} \d+$/m);
  });
});
