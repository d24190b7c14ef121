import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { StackConfig } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { acknowledgeIncident, openIncident, resolveIncident } from './actions.js';
import { runIncidentTick } from './engine.js';
import { acknowledgeByLink } from './link-ack.js';

const config = (extra = ''): StackConfig =>
  stackSchema.parse(
    parse(`name: shop
services:
  api: { kind: web, urls: { production: "http://127.0.0.1:1" } }
channels:
  mail: { type: email, to: [team@example.com], from: ops@example.com, smtp: { host: 127.0.0.1, port: 2525 } }
  chat: { type: console }
alerts:
  - { id: api-down, service: api, when: down, severity: P1, channels: [chat] }
  - { id: api-slow, service: api, when: latency, above: 2s, severity: P2, channels: [chat] }
incidents:
  severities:
    P1: { name: Critical, respondWithin: 10m, page: true, channels: [chat] }
    P2: { name: Degraded, respondWithin: 1h }
  contacts:
    ana: { name: Ana, email: ana@example.com, channel: mail }
    ben: { name: Ben, email: ben@example.com, channel: mail }
  schedules:
    primary:
      timeZone: Europe/Berlin
      layers: [{ rotation: weekly, start: "2029-12-31", participants: [ana, ben] }]
  escalation:
    - { level: 1, after: 0m, notify: [primary] }
    - { level: 2, after: 5m, notify: [ben] }
${extra}`),
  );

let cwd: string;
let store: Store;
let ms: number;
const now = () => ms;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-incidents-'));
  ms = Date.parse('2030-01-02T12:00:00Z');
  store = await openStore({ cwd, env: {}, now: () => new Date(ms) });
});
afterEach(async () => {
  await store.close();
  await rm(cwd, { recursive: true, force: true });
});

const engine = (cfg: StackConfig, holder = 'a') => ({
  store,
  config: cfg,
  environment: 'production',
  holder,
  signingKey: 'k'.repeat(32),
  publicUrl: 'http://status.test',
  now,
});
const outbox = async () =>
  (await store.alerting.listNotifications())
    .map((n) => `${n.channel}:${((n.payload as { to?: string[] }).to ?? []).join()}`)
    .reverse();

describe('escalation', () => {
  it('notifies the on-call person, then the next level after its wait, and stops at the ack', async () => {
    const cfg = config();
    const { incident } = await openIncident(
      { store, config: cfg, now },
      { environment: 'production', title: 'API down', severity: 'P1', actor: 'me' },
    );
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toEqual(['mail:ana@example.com']);
    await runIncidentTick(engine(cfg, 'b')); // a second instance finds the lock taken
    ms += 4 * 60_000;
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toHaveLength(1);
    ms += 60_000;
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toEqual(['mail:ana@example.com', 'mail:ben@example.com']);

    const mail = (await store.alerting.listNotifications())[0]!.payload as { text: string };
    const token = /token=([\w.-]+)/.exec(mail.text)![1]!;
    const ack = await acknowledgeByLink({ store, config: cfg, now }, 'k'.repeat(32), incident.id, token);
    expect(ack).toMatchObject({ ok: true, changed: true, by: 'ben' });
    expect(await acknowledgeByLink({ store, config: cfg, now }, 'k'.repeat(32), incident.id, token)).toEqual({
      ok: false,
      reason: 'this link was already used',
    });
    expect(
      await acknowledgeByLink({ store, config: cfg, now }, 'x'.repeat(32), incident.id, token),
    ).toMatchObject({ ok: false });
    ms += 60 * 60_000;
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toHaveLength(2);
    const kinds = (await store.incidents.listTimeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(['open', 'notify', 'notify', 'link', 'ack']);
  });

  it('reports a missed response target once, and re-triggers an acknowledged incident after the ack timeout', async () => {
    const cfg = config('  ackTimeout: 30m\n');
    const { incident } = await openIncident(
      { store, config: cfg, now },
      { environment: 'production', title: 'API down', severity: 'P1', actor: 'me' },
    );
    await runIncidentTick(engine(cfg));
    ms += 11 * 60_000;
    await runIncidentTick(engine(cfg));
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toEqual(['mail:ana@example.com', 'mail:ben@example.com', 'chat:']);
    await acknowledgeIncident({ store, config: cfg, now }, String(incident.number), {
      actor: 'ana',
      via: 'cli',
    });
    ms += 31 * 60_000;
    await runIncidentTick(engine(cfg));
    expect((await store.incidents.getIncident(incident.id))?.state).toBe('triggered');
    expect((await outbox()).slice(3)).toEqual(['mail:ana@example.com']);
    await resolveIncident({ store, config: cfg, now }, incident.id, { summary: 'fixed', actor: 'ana' });
    ms += 60 * 60_000;
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toHaveLength(4);
  });

  it('keeps the policy it opened with when the config changes', async () => {
    const { incident } = await openIncident(
      { store, config: config(), now },
      { environment: 'production', title: 'T', severity: 'P1', actor: 'me' },
    );
    const edited = config().incidents!;
    edited.escalation = [{ level: 1, after: '0m', notify: ['ben'] }];
    const cfg = { ...config(), incidents: edited };
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toEqual(['mail:ana@example.com']);
    expect((await store.incidents.getIncident(incident.id))?.escalation).toMatchObject({
      policy: { steps: [{ level: 1 }, { level: 2 }] },
    });
  });

  it('pages a person once when a step names them and a schedule they are on call in', async () => {
    const edited = config().incidents!;
    edited.escalation = [{ level: 1, after: '0m', notify: ['primary', 'ana'] }];
    const cfg = { ...config(), incidents: edited };
    const { incident } = await openIncident(
      { store, config: cfg, now },
      { environment: 'production', title: 'API down', severity: 'P1', actor: 'me' },
    );
    await runIncidentTick(engine(cfg));
    expect(await outbox()).toEqual(['mail:ana@example.com']);
    const notified = (await store.incidents.listTimeline(incident.id)).filter((e) => e.kind === 'notify');
    expect(notified.map((e) => e.message)).toEqual([
      'Step 1 (level 1): notified Ana (on call in primary) via mail',
    ]);
  });

  it('opens one incident per service from firing alerts, records recoveries and resolves when all recovered', async () => {
    const cfg = config();
    const commit = (status: 'firing' | 'inactive', firedAt: number, resolvedAt?: number) =>
      store.alerting.commitEvaluation({
        environment: 'production',
        states: [
          {
            environment: 'production',
            ruleId: 'api-down',
            service: 'api',
            status,
            state: {
              status,
              firedAt,
              ...(resolvedAt ? { resolvedAt } : {}),
              summary: 'down',
              group: { seq: 1 },
            },
          },
        ],
        notifications: [],
      });
    await commit('firing', ms);
    await runIncidentTick(engine(cfg));
    await runIncidentTick(engine(cfg));
    const [incident] = await store.incidents.listIncidents();
    expect(incident).toMatchObject({ number: 1, severity: 'P1', services: ['api'], state: 'triggered' });
    ms += 60_000;
    await commit('inactive', ms - 60_000, ms);
    await runIncidentTick(engine(cfg));
    expect((await store.incidents.getIncident('1'))?.state).toBe('resolved');
    const kinds = (await store.incidents.listTimeline(incident!.id)).map((e) => e.kind);
    expect(kinds).toEqual(['open', 'alert', 'notify', 'recovery', 'resolve']);
    expect(await store.incidents.listIncidents()).toHaveLength(1);
  });

  it('raises the severity when a more severe alert joins, and escalates by the new policy', async () => {
    const cfg = config();
    const commit = (ruleId: string) =>
      store.alerting.commitEvaluation({
        environment: 'production',
        states: [
          {
            environment: 'production',
            ruleId,
            service: 'api',
            status: 'firing',
            state: { status: 'firing', firedAt: ms, summary: ruleId, group: { seq: 1 } },
          },
        ],
        notifications: [],
      });
    await commit('api-slow');
    await runIncidentTick(engine(cfg));
    expect(await store.incidents.getIncident('1')).toMatchObject({ severity: 'P2' });
    ms += 60_000;
    await commit('api-down');
    await runIncidentTick(engine(cfg));
    const incident = await store.incidents.getIncident('1');
    expect(incident).toMatchObject({ severity: 'P1', escalation: { cycle: 1, policy: { severity: 'P1' } } });
    expect(await store.incidents.listIncidents()).toHaveLength(1);
    const timeline = await store.incidents.listTimeline(incident!.id);
    expect(timeline.find((e) => e.kind === 'severity')?.message).toBe(
      'Severity raised from P2 to P1 by alert api-down',
    );
    // Step 1 ran for P2, and again for P1 (a new cycle), so ana hears that it got worse.
    expect(await outbox()).toEqual(['mail:ana@example.com', 'mail:ana@example.com']);
  });
});
