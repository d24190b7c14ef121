// The public incidents: an open incident stays on the page however many newer ones there are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, NOW } from '../../test/support/server/fixture.js';
import { shopConfig } from '../../test/support/server/seed.js';
import { createApp } from './app.js';

let fx: Fixture;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

beforeAll(async () => {
  fx = await createFixture();
  await fx.current({ live: 'up', ready: 'up', ping: 'up', db: 'up' });
  const incidents = fx.store.incidents;
  // Open for ten days on the published API...
  await incidents.openIncident({
    environment: 'production',
    title: 'Checkout slow for some cards',
    severity: 'P2',
    services: ['api'],
    openedAt: at(10 * 24 * 60),
  });
  // ...and 250 newer ones on an unpublished database, all resolved (alerts that open incidents make many).
  for (let i = 0; i < 250; i++) {
    const { incident } = await incidents.openIncident({
      environment: 'production',
      title: `db blip ${i}`,
      severity: 'P3',
      services: ['db'],
      openedAt: at(9 * 24 * 60 - i * 10),
      dedupKey: `blip-${i}`,
    });
    await incidents.updateIncident(incident.id, {
      state: 'resolved',
      resolvedAt: at(9 * 24 * 60 - i * 10 - 5),
    });
  }
}, 60_000);
afterAll(() => fx.close());

describe('public incidents', () => {
  it('shows an open incident older than the 200 newest incidents of the environment', async () => {
    const res = await createApp(fx.ctx(shopConfig(), NOW)).request('/api/v1/status');
    const status = (await res.json()) as { overall: { state: string }; incidents: { title: string }[] };
    expect(status.incidents.map((i) => i.title)).toEqual(['Checkout slow for some cards']);
    expect(status.overall.state).not.toBe('operational');
  });
});
