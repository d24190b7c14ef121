/**
 * The public status surfaces show only what `statusPage` allows (issue 11 item 3): its components under their
 * display names, the incidents touching them with their public updates, and nothing of hidden services,
 * internal notes, severities, people or deploys. Checked on the HTML page, the status JSON, the incidents JSON
 * and the Atom feed alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture, NOW } from '../../test/support/server/fixture.js';
import { monitor, setCurrent, shopConfig } from '../../test/support/server/seed.js';
import { createApp } from './app.js';

let fx: Fixture;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

const config = shopConfig({
  statusPage: { title: 'Acme status', components: [{ service: 'api', name: 'Storefront API' }] },
});
// A hidden web service with its own monitor: without `statusPage.components` it would be published.
config.services.backoffice = {
  ...config.services.api!,
  urls: { production: 'https://backoffice.internal.test' },
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What must never reach the public: hidden services' names, titles and updates, internal notes, people. */
const HIDDEN = [
  'backoffice',
  'Backoffice console down',
  'backoffice fix is rolling out',
  'CDN purge broke the website',
  'rotated the database password',
  'Ana Commander',
  'deployer@acme.test',
  'Dee Ployer',
  'internal.test',
  'example.test',
  'P1',
];

beforeAll(async () => {
  fx = await createFixture();
  await fx.current({ live: 'up', ready: 'up', ping: 'up', db: 'up' });
  const backoffice = monitor('backoffice', 'liveness', 'GET https://backoffice.internal.test/live');
  await fx.store.monitoring.syncMonitors('production', [
    ...(await fx.store.monitoring.listMonitors({ environment: 'production' })),
    backoffice,
  ]);
  await setCurrent(
    fx.store,
    backoffice,
    NOW - 10_000,
    'down',
    'GET https://backoffice.internal.test/live 503',
  );

  const incidents = fx.store.incidents;
  // Only on a hidden service: not shown at all.
  await incidents.openIncident({
    environment: 'production',
    title: 'Backoffice console down',
    severity: 'P1',
    services: ['backoffice'],
    commander: 'Ana Commander',
    openedAt: at(30),
    timeline: [{ kind: 'update', message: 'backoffice fix is rolling out', public: true, at: at(20) }],
  });
  // Resolved, on the hidden static site: not in the history either.
  const { incident: cdn } = await incidents.openIncident({
    environment: 'production',
    title: 'CDN purge broke the website',
    severity: 'P2',
    services: ['web'],
    openedAt: at(600),
  });
  await incidents.updateIncident(cdn.id, { state: 'resolved', resolvedAt: at(500) });
  // On the published API and a hidden service: shown, naming only the published component.
  await incidents.openIncident({
    environment: 'production',
    title: 'Checkout errors',
    severity: 'P1',
    services: ['api', 'backoffice'],
    commander: 'Ana Commander',
    openedAt: at(15),
    timeline: [
      { kind: 'update', message: 'We are looking into checkout errors', public: true, at: at(10) },
      { kind: 'note', message: 'rotated the database password', public: false, at: at(5) },
    ],
  });
  const run = await fx.store.createRun({
    kind: 'deploy',
    environment: 'production',
    actor: 'Dee Ployer <deployer@acme.test>',
  });
  await fx.store.updateRun(run.id, { status: 'succeeded' });
});
afterAll(() => fx.close());

const SURFACES = ['/status', '/api/v1/status', '/api/v1/incidents', '/status/feed.atom'] as const;

async function read(path: string): Promise<string> {
  const res = await createApp({ ...fx.ctx(config), publicUrl: 'https://status.acme.test' }).request(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

describe('the public status page shows only what statusPage allows', () => {
  it.each(SURFACES)(
    '%s shows nothing of hidden services, internal notes, people or deploys',
    async (path) => {
      const text = await read(path);
      // As whole words: 'P1' also turns up inside random ids (ULIDs are base32), which show nothing hidden.
      for (const hidden of HIDDEN)
        expect(text, `${path} shows '${hidden}'`).not.toMatch(new RegExp(`\\b${escapeRegExp(hidden)}\\b`));
    },
  );

  it.each(SURFACES)('%s shows the published incident', async (path) => {
    const text = await read(path);
    expect(text).toContain('Checkout errors');
    expect(text).toContain('We are looking into checkout errors');
  });

  it('publishes the configured components only, under their display names', async () => {
    const status = JSON.parse(await read('/api/v1/status'));
    expect(status.title).toBe('Acme status');
    expect(status.components.map((c: { name: string }) => c.name)).toEqual(['Storefront API']);
    const incidents = JSON.parse(await read('/api/v1/incidents'));
    expect(incidents.open.map((i: { components: string[] }) => i.components)).toEqual([['Storefront API']]);
    expect(incidents.history).toEqual([]);
    const html = await read('/status');
    expect(html).toContain('Storefront API');
    expect(html).not.toContain('data-service="web"');
    expect(html).toContain('<title>Acme status');
  });

  it('without statusPage components the hidden web service would be published (the test can fail)', async () => {
    const open = shopConfig();
    open.services.backoffice = config.services.backoffice!;
    const res = await createApp(fx.ctx(open)).request('/api/v1/status');
    expect(await res.text()).toContain('backoffice');
  });
});
