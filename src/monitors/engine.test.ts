import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { stackSchema } from '../config/index.js';
import { openStore, type SampleRecord, type Store } from '../store/index.js';
import { createMonitorEngine, nextDueAt } from './index.js';

let server: TestServer;
let store: Store;
let cwd: string;

const config = () =>
  stackSchema.parse({
    name: 'shop',
    monitoring: { interval: '1s', retries: 0 },
    services: {
      api: {
        kind: 'web',
        urls: { production: server.url },
        health: [
          { type: 'liveness', path: '/live', timeout: '500ms' },
          { type: 'readiness', path: '/broken', timeout: '500ms' },
        ],
      },
    },
  });

describe('nextDueAt', () => {
  it('moves one interval on from the due time, not from when the check ended', () => {
    expect(nextDueAt(10_000, 1_000, 10_400)).toBe(11_000);
  });
  it('skips slots already missed, keeping the phase', () => {
    expect(nextDueAt(10_000, 1_000, 12_500)).toBe(13_000);
    expect(nextDueAt(10_000, 1_000, 11_000)).toBe(12_000);
  });
});

describe('createMonitorEngine', () => {
  beforeEach(async () => {
    server = await startServer((req, res) =>
      req.url === '/broken' ? sendJson(res, 503, { status: 'down' }) : sendJson(res, 200, { status: 'ok' }),
    );
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-engine-'));
    store = await openStore({ cwd, env: {} });
  });
  afterEach(async () => {
    await store.close();
    await server.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('checks each monitor about once per interval and records samples the listener can query', async () => {
    const controller = new AbortController();
    const seen: SampleRecord[] = [];
    const inStoreWhenTold: boolean[] = [];
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      onSample: async (sample) => {
        seen.push(sample);
        const found = await store.monitoring.samples(
          { monitor: sample.monitorId },
          sample.at,
          Date.parse(sample.at) + 1,
        );
        inStoreWhenTold.push(found.length === 1);
      },
    });
    expect(engine.monitors.map((m) => m.id)).toEqual(['production:api:liveness', 'production:api:readiness']);
    // First checks land within one interval of the start, then one per interval.
    await sleep(3_600);
    controller.abort();
    await engine.done;

    const from = Date.now() - 60_000;
    for (const id of ['production:api:liveness', 'production:api:readiness']) {
      const samples = await store.monitoring.samples({ monitor: id }, from, Date.now());
      expect(samples.length).toBeGreaterThanOrEqual(2);
      expect(samples.length).toBeLessThanOrEqual(4);
      const gaps = samples.slice(1).map((s, i) => Date.parse(s.at) - Date.parse(samples[i]!.at));
      for (const gap of gaps) expect(gap).toBeGreaterThan(700);
    }
    const broken = await store.monitoring.samples({ monitor: 'production:api:readiness' }, from, Date.now());
    expect(broken[0]).toMatchObject({
      outcome: 'down',
      status: 503,
      message: expect.stringContaining('503'),
    });
    const uptime = await store.monitoring.uptime(
      { service: 'api', environment: 'production' },
      from,
      Date.now(),
    );
    expect(uptime.down).toBe(broken.length);
    expect(uptime.total).toBe(server.requests.length);
    await sleep(50);
    expect(seen.length).toBe(uptime.total);
    expect(inStoreWhenTold.every(Boolean)).toBe(true);
  });

  it('stops cleanly: no request after done, leases released, the instance gone', async () => {
    const controller = new AbortController();
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      instanceId: 'test-instance',
    });
    expect((await store.monitoring.listInstances()).map((i) => i.instanceId)).toEqual(['test-instance']);
    await sleep(1_300);
    controller.abort();
    await engine.done;
    const requests = server.requests.length;
    expect(requests).toBeGreaterThan(0);
    await sleep(1_200);
    expect(server.requests.length).toBe(requests);
    expect((await store.monitoring.listMonitors()).every((m) => m.leaseOwner === null)).toBe(true);
    expect(await store.monitoring.listInstances()).toEqual([]);
    expect(engine.stats()).toMatchObject({ running: 0, pending: 0, unwritten: 0, writeErrors: 0 });
  });

  it('says when it falls behind (an injected stall makes checks start late) and when it keeps up again', async () => {
    const controller = new AbortController();
    const logs: string[] = [];
    let skew = 0;
    let samples = 0;
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      now: () => Date.now() + skew,
      timing: { paceMs: 500 },
      onSample: () => void samples++,
      log: (_level, message) => logs.push(message),
    });
    const until = async (what: () => boolean, label: string) => {
      const deadline = Date.now() + 30_000;
      while (!what()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}: ${logs.join(' | ')}`);
        await sleep(50);
      }
    };
    try {
      await until(() => samples >= 2, 'the first checks');
      // The clock jumps 5 s: every check now starts ~4 s after it was due, as after a stalled process.
      skew = 5_000;
      await until(() => logs.some((l) => l.includes('falling behind')), 'the falling-behind line');
      expect(logs.find((l) => l.includes('falling behind'))).toMatch(
        /the monitor engine is falling behind: [\d.]+% of checks started late \(up to [\d.]+ s\)/,
      );
      // Missed slots are skipped, not queued: the next checks are on time again and it says so.
      await until(() => logs.some((l) => l.includes('keeps up again')), 'the keeps-up line');
      expect(engine.stats().pace?.behind).toBe(false);
    } finally {
      controller.abort();
      await engine.done;
    }
  }, 60_000);
});
