// An incident's timeline shows its platform's own status page: `serve` reads the provider's Statuspage v2
// API (a loopback fake) as a monitor, and the open incident gets "Render: partial outage (Web Services)"
// while Render is down, and "Render: operational" when it recovers; an upstream of other services stays out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStatuspage, startFakeStatuspage } from '../../test/fakes/statuspage/fake-statuspage.js';
import { waitForValue } from '../../test/support/wait-for.js';
import { type ServeHandle, serve } from '../app/serve.js';
import type { StackConfig } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { openIncident } from './actions.js';

describe('upstream status on the incident timeline', () => {
  let cwd: string;
  let render: FakeStatuspage;
  let stripe: FakeStatuspage;
  let handle: ServeHandle;
  let store: Store;
  let config: StackConfig;
  let incidentPasses = 0;
  /** When the upstream monitor last read Render's status page. */
  const renderSampledAt = async () =>
    (await store.monitoring.listMonitors({ environment: 'production' })).find(
      (m) => m.service === 'upstream:render',
    )?.last?.at;

  beforeAll(async () => {
    render = await startFakeStatuspage('Render', ['Web Services', 'Static Sites']);
    stripe = await startFakeStatuspage('Stripe', ['API']);
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-upstream-'));
    config = stackSchema.parse({
      name: 'shop',
      services: { api: { kind: 'web' }, billing: { kind: 'worker' } },
      upstreams: [
        {
          id: 'render',
          name: 'Render',
          statusPage: render.url,
          components: ['Web Services'],
          services: ['api'],
          interval: '1s',
        },
        { id: 'stripe', name: 'Stripe', statusPage: stripe.url, services: ['billing'], interval: '1s' },
      ],
      incidents: { severities: { P1: { name: 'Critical' } } },
    });
    handle = await serve({
      cwd,
      config,
      env: {},
      port: 0,
      host: '127.0.0.1',
      timing: {
        incidentIntervalMs: 200,
        onRound: (loop) => {
          if (loop === 'incidents') incidentPasses++;
        },
      },
    });
    store = await openStore({ cwd, env: {} });
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await handle?.close();
    await render?.close();
    await stripe?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('records the platform outage and its recovery while the incident is open', async () => {
    const { incident } = await openIncident(
      { store, config },
      { environment: 'production', title: 'API errors', severity: 'P1', services: ['api'], actor: 'test' },
    );
    render.components.set('Web Services', 'partial_outage');
    render.incidents = [{ name: 'Elevated error rates', status: 'investigating', impact: 'major' }];
    stripe.components.set('API', 'major_outage');
    const upstreamEntries = async () =>
      (await store.incidents.listTimeline(incident.id))
        .filter((e) => e.kind === 'upstream')
        .map((e) => e.message);

    await waitForValue('the Render outage on the timeline', async () =>
      (await upstreamEntries()).length ? true : undefined,
    );
    expect(await upstreamEntries()).toEqual([
      'Render: partial outage (Web Services); incident: Elevated error rates (investigating)',
    ]);

    render.components.set('Web Services', 'operational');
    render.incidents = [];
    await waitForValue('the recovery on the timeline', async () =>
      (await upstreamEntries()).length === 2 ? true : undefined,
    );
    // Two more samples of Render's page, each seen by incident passes: still one entry per change, and none for
    // Stripe (billing's upstream).
    for (let i = 0; i < 2; i++) {
      const before = await renderSampledAt();
      await waitForValue('a new sample of the Render status page', async () =>
        (await renderSampledAt()) !== before ? true : undefined,
      );
      const passes = incidentPasses;
      await waitForValue('two more incident passes', async () =>
        incidentPasses >= passes + 2 ? true : undefined,
      );
    }
    expect(await upstreamEntries()).toEqual([
      'Render: partial outage (Web Services); incident: Elevated error rates (investigating)',
      'Render: operational',
    ]);
    const monitors = await store.monitoring.listMonitors({ environment: 'production' });
    expect(monitors.find((m) => m.service === 'upstream:stripe')?.last?.message).toBe(
      'Stripe: major outage (API)',
    );
  }, 90_000);
});
