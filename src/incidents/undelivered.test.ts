import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { deliverOutbox } from '../notify/index.js';
import { createRedactor } from '../redact/index.js';
import { openStore, type Store } from '../store/index.js';
import { acknowledgeIncident, openIncident, resolveIncident } from './actions.js';
import { runIncidentTick } from './engine.js';
import { obsoletePage } from './undelivered.js';

const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  channels: { hook: { type: 'webhook', url: 'http://127.0.0.1:1/in' } },
  incidents: {
    severities: { P1: { name: 'Critical' } },
    contacts: { ana: { name: 'Ana', channel: 'hook' } },
    escalation: [{ level: 1, after: '0s', notify: ['ana'] }],
  },
});

let cwd: string;
let store: Store;
let ms: number;
let posts: number;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-undelivered-'));
  ms = Date.parse('2030-01-02T12:00:00Z');
  posts = 0;
  store = await openStore({ cwd, env: {}, now: () => new Date(ms) });
});
afterEach(async () => {
  await store.close();
  await rm(cwd, { recursive: true, force: true });
});

const ctx = () => ({ store, config, now: () => ms });
// The channel is down (503): each page is retried after the backoff.
const deliver = () =>
  deliverOutbox({
    outbox: store.alerting,
    channels: config.channels,
    ctx: {
      fetch: (async () => {
        posts++;
        return new Response('down', { status: 503 });
      }) as typeof fetch,
      env: {},
      signal: new AbortController().signal,
      redactor: createRedactor(),
      sleep: async () => {},
      print: () => {},
    },
    holder: 'test',
    now: () => ms,
    backoffMs: () => 60_000,
    obsolete: obsoletePage(store.incidents),
  });

describe('a page still waiting for its retry', () => {
  it.each([
    ['acknowledged', 'incident #1 was acknowledged by ben'],
    ['resolved', 'incident #1 is resolved'],
  ])('is not sent once the incident is %s', async (what, reason) => {
    await openIncident(ctx(), { environment: 'production', title: 'API down', severity: 'P1', actor: 'me' });
    await runIncidentTick({ ...ctx(), environment: 'production', holder: 'a', signingKey: 'k'.repeat(32) });
    expect(await deliver()).toMatchObject({ retrying: 1 });
    if (what === 'acknowledged') await acknowledgeIncident(ctx(), '1', { actor: 'ben', via: 'cli' });
    else await resolveIncident(ctx(), '1', { summary: 'fixed', actor: 'ben' });
    ms += 61_000;
    expect(await deliver()).toMatchObject({ dropped: 1, retrying: 0 });
    expect(posts).toBe(1);
    const [row] = await store.alerting.listNotifications();
    expect(row).toMatchObject({ status: 'failed', lastError: `not sent: ${reason}` });
  });

  it('is retried while the incident is still triggered', async () => {
    await openIncident(ctx(), { environment: 'production', title: 'API down', severity: 'P1', actor: 'me' });
    await runIncidentTick({ ...ctx(), environment: 'production', holder: 'a', signingKey: 'k'.repeat(32) });
    await deliver();
    ms += 61_000;
    expect(await deliver()).toMatchObject({ retrying: 1, dropped: 0 });
    expect(posts).toBe(2);
  });
});
