// The whole alerting path on loopback: a service's real health endpoint probed into store.monitoring,
// rules evaluated on a fake clock, the outbox delivered to real Slack, webhook, PagerDuty and SMTP receivers,
// and the engine restarted (cleanly and by crash) between transitions.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../../test/support/notify/receivers.js';
import type { StackConfig } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { deriveMonitors, type Monitor } from '../monitors/index.js';
import { type ChannelContext, deliverOutbox } from '../notify/index.js';
import { createRedactor } from '../redact/index.js';
import { openStore, type Store } from '../store/index.js';
import { type AlertRunner, createAlertRunner, type EvaluationSummary } from './runner.js';

const STEP = 30_000;
const HOOK_SECRET = 'hook-signing-secret-1234';
type Mode = 'healthy' | 'degraded' | 'unhealthy';

let mode: Mode = 'healthy';
let app: TestServer;
let slack: HttpReceiver;
let hook: HttpReceiver;
let pagerduty: HttpReceiver;
let smtp: SmtpReceiver;
let cwd: string;
let config: StackConfig;
let env: Record<string, string>;
const printed: string[] = [];

beforeAll(async () => {
  app = await startServer((_req, res) => {
    if (mode === 'unhealthy') return sendJson(res, 503, { status: 'unhealthy', database: 'down' });
    if (mode === 'degraded') return void setTimeout(() => sendJson(res, 200, { status: 'degraded' }), 700);
    sendJson(res, 200, { status: 'ok' });
  });
  [slack, hook, pagerduty, smtp] = await Promise.all([
    startHttpReceiver(),
    startHttpReceiver(),
    startHttpReceiver(202),
    startSmtpReceiver(),
  ]);
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-alert-pipeline-'));
  env = {
    SLACK_URL: `${slack.url}/services/T0/B0/secret`,
    HOOK_SECRET,
    PD_KEY: 'pd-routing-key-0000000000000000',
  };
  config = stackSchema.parse({
    name: 'shop',
    environments: { production: {} },
    services: {
      api: {
        kind: 'web',
        urls: { production: app.url },
        health: [{ type: 'deep', path: '/health', degraded: [{ path: 'status', equals: 'degraded' }] }],
      },
    },
    channels: {
      chat: { type: 'slack', webhook: { env: 'SLACK_URL' } },
      hook: { type: 'webhook', url: `${hook.url}/alerts`, secret: { env: 'HOOK_SECRET' } },
      pager: { type: 'pagerduty', routingKey: { env: 'PD_KEY' } },
      mail: {
        type: 'email',
        to: ['oncall@example.com'],
        from: 'opsbook@example.com',
        smtp: { host: '127.0.0.1', port: smtp.port },
      },
      console: { type: 'console' },
    },
    alerts: [
      {
        id: 'api-slow',
        service: 'api',
        when: 'latency',
        // Far from loopback latency, so a loaded machine cannot make a healthy check look slow.
        above: '500ms',
        percentile: 95,
        window: '2m',
        minSamples: 2,
        for: '1m',
      },
      { id: 'api-down', service: 'api', when: 'down', for: '1m' },
    ],
  });
});

afterAll(async () => {
  await Promise.all([app, slack, hook, pagerduty, smtp].map((r) => r.close()));
  await rm(cwd, { recursive: true, force: true });
});

/** One opsbook process: its own store connection, runner and lock holder, on the shared fake clock. */
function engine(clock: { now: number }, holder: string) {
  const ctx: ChannelContext = {
    fetch,
    env,
    signal: new AbortController().signal,
    redactor: createRedactor(),
    sleep: async () => {},
    print: (line) => printed.push(line),
    pagerDutyUrl: pagerduty.url,
  };
  let store: Store;
  let runner: AlertRunner;
  let monitors: Monitor[];
  return {
    async start() {
      store = await openStore({ cwd, env: {}, now: () => new Date(clock.now) });
      monitors = deriveMonitors({ config, environment: 'production', env: {} }).monitors;
      await store.monitoring.syncMonitors('production', monitors);
      runner = createAlertRunner({
        store,
        config,
        environment: 'production',
        now: () => clock.now,
        holder,
        lockTtlMs: 60_000,
        timing: { groupWaitMs: STEP, groupIntervalMs: STEP },
      });
    },
    /** Probes the service, records the samples at the fake time, evaluates. */
    async check(): Promise<EvaluationSummary> {
      const results = await Promise.all(
        monitors.map((m) => m.check({ signal: AbortSignal.timeout(5_000), env: {}, now: () => clock.now })),
      );
      await store.monitoring.recordSamples(
        results.map((r, i) => ({
          monitorId: monitors[i]!.id,
          environment: 'production',
          service: 'api',
          at: clock.now,
          outcome: r.outcome,
          latencyMs: r.latencyMs,
          ...(r.status ? { status: r.status } : {}),
        })),
      );
      return runner.evaluate();
    },
    deliver: () =>
      deliverOutbox({ outbox: store.alerting, channels: config.channels, ctx, holder, now: () => clock.now }),
    async stop() {
      await runner.close();
      await store.close();
    },
    undelivered: async () => (await store.alerting.listNotifications({ status: 'pending' })).length,
    /** A crash: the connection goes away, the lock stays held until its TTL. */
    crash: () => store.close(),
  };
}

describe('alerting pipeline', () => {
  it('fires after `for`, resolves, and sends one notification per transition to every channel across restarts', async () => {
    const clock = { now: Date.parse('2030-01-01T00:00:00.000Z') };
    const transitions: { at: number; rule: string; transition: string }[] = [];
    let skipped = 0;
    let process = engine(clock, 'process-1');
    await process.start();
    const run = async (phase: Mode, steps: number, deliver = true) => {
      mode = phase;
      for (let i = 0; i < steps; i++) {
        const summary = await process.check();
        if (!summary.evaluated) skipped++;
        for (const t of summary.transitions)
          transitions.push({ at: clock.now, rule: t.ruleId, transition: t.transition });
        if (deliver) await process.deliver();
        clock.now += STEP;
      }
    };

    await run('healthy', 4);
    const degradedAt = clock.now;
    await run('degraded', 2);
    // A clean restart while api-slow is pending.
    await process.stop();
    process = engine(clock, 'process-2');
    await process.start();
    await run('degraded', 4);
    const unhealthyAt = clock.now;
    // Evaluate the first unhealthy minute but crash before delivering: the committed outbox rows must
    // survive, and the next process (waiting out the dead one's lock) must send them exactly once.
    await run('unhealthy', 3, false);
    // api-slow resolved (its window ran out of answered checks): five channels' rows await delivery.
    expect(await process.undelivered()).toBe(5);
    await process.crash();
    process = engine(clock, 'process-3');
    await process.start();
    await run('unhealthy', 6);
    expect(skipped).toBe(1);
    await process.stop();
    process = engine(clock, 'process-4');
    await process.start();
    const recoveredAt = clock.now;
    await run('healthy', 6);
    await process.stop();

    // `for: 1m`: pending once the window's p95 crosses the threshold (the second slow check of four),
    // firing exactly one minute later, across the restart in between.
    const of = (rule: string) => transitions.filter((t) => t.rule === rule).map((t) => [t.transition, t.at]);
    expect(of('api-slow').slice(0, 2)).toEqual([
      ['pending', degradedAt + STEP],
      ['firing', degradedAt + STEP + 60_000],
    ]);
    const down = of('api-down');
    expect(down[0]).toEqual(['pending', unhealthyAt]);
    // The crashed process's lock held the evaluation back until its TTL, so firing may come late, never early.
    expect(down[1]![0]).toBe('firing');
    expect(down[1]![1] as number).toBeGreaterThanOrEqual(unhealthyAt + 60_000);
    expect(down.at(-1)).toEqual(['resolved', recoveredAt]);
    expect(of('api-slow').at(-1)![0]).toBe('resolved');

    const expected = ['api-slow firing', 'api-slow resolved', 'api-down firing', 'api-down resolved'];
    const sorted = (xs: string[]) => [...xs].sort();

    const hooks = hook.received.map((r) => {
      const signature = createHmac('sha256', HOOK_SECRET)
        .update(`${r.headers['x-opsbook-timestamp']}.${r.body}`)
        .digest('hex');
      expect(r.headers['x-opsbook-signature']).toBe(`sha256=${signature}`);
      const body = JSON.parse(r.body);
      expect(body).toMatchObject({ version: '4', receiver: 'hook' });
      return `${body.groupLabels.alertname} ${body.status}`;
    });
    expect(sorted(hooks)).toEqual(sorted(expected));
    expect(new Set(hook.received.map((r) => r.headers['x-opsbook-delivery'])).size).toBe(4);

    const slackTexts = slack.received.map((r) => JSON.parse(r.body).text as string);
    expect(
      sorted(
        slackTexts.map((t) =>
          /\[(FIRING|RESOLVED)\] (\S+)/.exec(t)!.slice(1).reverse().join(' ').toLowerCase(),
        ),
      ),
    ).toEqual(sorted(expected));

    const events = pagerduty.received.map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.event_action).sort()).toEqual(['resolve', 'resolve', 'trigger', 'trigger']);
    for (const trigger of events.filter((e) => e.event_action === 'trigger'))
      expect(events.filter((e) => e.dedup_key === trigger.dedup_key).map((e) => e.event_action)).toEqual([
        'trigger',
        'resolve',
      ]);

    expect(
      sorted(smtp.mails.map((m) => m.subject.replace(/^\[(\w+)\] (\S+).*$/, '$2 $1').toLowerCase())),
    ).toEqual(sorted(expected));
    expect(printed.filter((l) => l.includes('[FIRING]') || l.includes('[RESOLVED]'))).toHaveLength(4);

    // Per alert, firing comes before resolved on every channel.
    for (const rule of ['api-slow', 'api-down'])
      expect(hooks.filter((h) => h.startsWith(`${rule} `))).toEqual([`${rule} firing`, `${rule} resolved`]);
  }, 60_000);
});
