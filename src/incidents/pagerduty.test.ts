// PagerDuty both ways against a loopback PagerDuty (Events v2 + a v3 webhook subscription): the
// escalation pages through the PagerDuty channel with the incident's dedup key, a responder acknowledges
// in PagerDuty, the signed webhook acknowledges the opsbook incident and its escalation stops; an ack or
// resolve made in opsbook reaches PagerDuty's incident too.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePagerDuty, startFakePagerDuty } from '../../test/fakes/pagerduty/fake-pagerduty.js';
import { startServer, type TestServer } from '../../test/support/http-server.js';
import { waitForValue } from '../../test/support/wait-for.js';
import { type ServeHandle, serve } from '../app/serve.js';
import type { StackConfig } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { acknowledgeIncident, openIncident, resolveIncident } from './actions.js';
import { verifyPagerDutySignature } from './pagerduty.js';
import { incidentDedupKey } from './pagerduty-events.js';

const SECRET = 'pd-webhook-secret-for-tests';
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000000';
const STEP2_S = 6;
const sign = (secret: string, body: string) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyPagerDutySignature (PagerDuty v3 webhook signatures)', () => {
  const body = '{"event":{"id":"e1","event_type":"incident.acknowledged"}}';
  it('accepts the v1 HMAC-SHA256 of the raw body, also among several while a secret rotates', () => {
    expect(verifyPagerDutySignature(SECRET, body, sign(SECRET, body))).toBe(true);
    expect(verifyPagerDutySignature(SECRET, body, `${sign('old-secret', body)},${sign(SECRET, body)}`)).toBe(
      true,
    );
  });
  it('refuses a missing header, another secret, a changed body and other versions', () => {
    expect(verifyPagerDutySignature(SECRET, body, undefined)).toBe(false);
    expect(verifyPagerDutySignature(SECRET, body, sign('other', body))).toBe(false);
    expect(verifyPagerDutySignature(SECRET, `${body} `, sign(SECRET, body))).toBe(false);
    expect(verifyPagerDutySignature(SECRET, body, sign(SECRET, body).replace('v1=', 'v2='))).toBe(false);
  });
});

describe('PagerDuty acknowledgements flow back into opsbook serve', () => {
  let cwd: string;
  let pd: FakePagerDuty;
  let hook: TestServer;
  let handle: ServeHandle;
  let store: Store;
  let config: StackConfig;
  let incidentPasses = 0;
  const hooked: string[] = [];

  beforeAll(async () => {
    pd = await startFakePagerDuty(ROUTING_KEY);
    hook = await startServer((req, res) => {
      hooked.push(String(req.headers['x-opsbook-delivery']));
      res.end('ok');
    });
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-pagerduty-'));
    config = stackSchema.parse({
      name: 'shop',
      services: { api: { kind: 'web' } },
      channels: {
        pd: {
          type: 'pagerduty',
          routingKey: { env: 'PD_ROUTING_KEY' },
          eventsUrl: pd.url,
          webhookSecret: { env: 'PD_WEBHOOK_SECRET' },
        },
        hook: { type: 'webhook', url: `${hook.url}/hook` },
      },
      incidents: {
        severities: { P1: { name: 'Critical', respondWithin: '15m' } },
        contacts: { ana: { name: 'Ana', channel: 'pd' }, ben: { name: 'Ben', channel: 'hook' } },
        escalation: [
          { level: 1, after: '0s', notify: ['ana'] },
          { level: 2, after: `${STEP2_S}s`, notify: ['ben'] },
        ],
      },
    });
    handle = await serve({
      cwd,
      config,
      env: { PD_ROUTING_KEY: ROUTING_KEY, PD_WEBHOOK_SECRET: SECRET, OPSBOOK_SIGNING_KEY: 'k'.repeat(32) },
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
    pd.subscribe(`${handle.url}/integrations/pagerduty/pd`, ['old-secret', SECRET]);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await handle?.close();
    await pd?.close();
    await hook?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('acknowledges the incident from PagerDuty and stops the escalation before step 2', async () => {
    const ctx = { store, config };
    const { incident } = await openIncident(ctx, {
      environment: 'production',
      title: 'API down',
      severity: 'P1',
      services: ['api'],
      actor: 'test',
    });
    const key = incidentDedupKey(incident.id);
    const paged = await waitForValue('the PagerDuty incident', () =>
      pd.incidents.find((i) => i.incidentKey === key),
    );
    expect(paged.title).toContain('#1 API down');

    const delivered = await pd.acknowledge(key, 'Ana Responder');
    expect(delivered.status).toBe(200);
    expect(JSON.parse(delivered.body)).toEqual({ status: 'acknowledged', number: 1 });
    const acked = await store.incidents.getIncident(incident.id);
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Ana Responder (PagerDuty)' });
    // The point of the test is an ack that lands before step 2 is due; a machine this slow proves nothing.
    expect(Date.parse(acked!.acknowledgedAt!) - Date.parse(incident.openedAt)).toBeLessThan(STEP2_S * 1000);

    // A second delivery of an acknowledgement changes nothing.
    const again = await pd.acknowledge(key, 'Ana Responder');
    expect(JSON.parse(again.body).status).toBe('ignored');

    // Past step 2's time, and then a few engine passes more: nobody else was paged.
    await waitForValue('step 2 to be due', () =>
      Date.now() > Date.parse(incident.openedAt) + STEP2_S * 1000 ? true : undefined,
    );
    const passes = incidentPasses;
    await waitForValue('five more incident passes', () => (incidentPasses >= passes + 5 ? true : undefined));
    expect(hooked).toEqual([]);
    const timeline = await store.incidents.listTimeline(incident.id);
    expect(timeline.filter((e) => e.kind === 'notify').map((e) => e.message)).toEqual([
      expect.stringContaining('Step 1 (level 1): notified Ana via pd'),
    ]);
    expect(timeline.find((e) => e.kind === 'pagerduty')?.message).toBe(
      'Acknowledged in PagerDuty by Ana Responder (channel pd)',
    );
    expect(timeline.find((e) => e.kind === 'ack')?.message).toContain('(PagerDuty); escalation stopped');

    // Resolving in opsbook resolves PagerDuty's incident; its own ack is not echoed back to it.
    await resolveIncident(ctx, incident.id, { summary: 'Fixed.', actor: 'ana' });
    await waitForValue('PagerDuty to resolve', () => (paged.status === 'resolved' ? true : undefined));
    expect(paged.actions).toEqual(['trigger', 'resolve']);
  }, 60_000);

  it('sends an acknowledgement made in opsbook to PagerDuty', async () => {
    const ctx = { store, config };
    const { incident } = await openIncident(ctx, {
      environment: 'production',
      title: 'Queue stuck',
      severity: 'P1',
      actor: 'test',
    });
    const key = incidentDedupKey(incident.id);
    const paged = await waitForValue('the PagerDuty incident', () =>
      pd.incidents.find((i) => i.incidentKey === key),
    );
    await acknowledgeIncident(ctx, incident.id, { actor: 'ben', via: 'cli' });
    await waitForValue('PagerDuty to acknowledge', () =>
      paged.status === 'acknowledged' ? true : undefined,
    );
    expect(paged.actions).toEqual(['trigger', 'acknowledge']);
  }, 60_000);

  it('refuses deliveries without a valid signature and channels without a webhook secret', async () => {
    const body = JSON.stringify({ event: { id: 'x', event_type: 'incident.acknowledged', data: {} } });
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${handle.url}/integrations/pagerduty/${path}`, { method: 'POST', headers, body });
    expect((await post('pd', {})).status).toBe(400);
    expect((await post('pd', { 'x-pagerduty-signature': sign('forged', body) })).status).toBe(403);
    expect((await post('hook', { 'x-pagerduty-signature': sign(SECRET, body) })).status).toBe(404);
    const ok = await post('pd', { 'x-pagerduty-signature': sign(SECRET, body) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe('ignored');
  });
});
