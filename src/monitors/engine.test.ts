import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { createManualClock } from '../../test/support/manual-clock.js';
import { waitFor } from '../../test/support/wait-for.js';
import { stackSchema } from '../config/schema.js';
import { openStore, type SampleRecord, type Store } from '../store/index.js';
import { createMonitorEngine, type Monitor, nextDueAt } from './index.js';

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

/** Monitors whose check answers at once, without the network: the engine's logic alone, on a manual clock. */
const instantMonitors = (count: number, intervalMs: number): Monitor[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `production:api:m${i}`,
    environment: 'production',
    service: 'api',
    name: `m${i}`,
    kind: 'http',
    target: `GET http://example.invalid/m${i}`,
    intervalMs,
    timeoutMs: 500,
    retries: 0,
    check: async () => ({
      ok: true,
      outcome: 'up',
      latencyMs: 1,
      failures: [],
      warnings: [],
      at: new Date(0).toISOString(),
      attempts: 1,
    }),
  }));

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
    const clock = createManualClock(Date.now());
    const controller = new AbortController();
    const seen: SampleRecord[] = [];
    const inStoreWhenTold: boolean[] = [];
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
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
    // First checks land within one interval of the start, then one per interval. The probes are real requests
    // to the loopback server: each step of the clock waits until the checks it started have ended.
    for (let elapsed = 0; elapsed < 3_600; elapsed += 100) {
      await clock.advance(100);
      await waitFor('the checks started so far to end', () => engine.stats().running === 0);
    }
    controller.abort();
    await clock.advance(1_000);
    await engine.done;
    await waitFor('every sample written to reach the listener', () => seen.length === server.requests.length);

    const from = clock.now() - 60_000;
    const to = clock.now();
    for (const id of ['production:api:liveness', 'production:api:readiness']) {
      const samples = await store.monitoring.samples({ monitor: id }, from, to);
      expect(samples.length).toBeGreaterThanOrEqual(2);
      expect(samples.length).toBeLessThanOrEqual(4);
      const gaps = samples.slice(1).map((s, i) => Date.parse(s.at) - Date.parse(samples[i]!.at));
      for (const gap of gaps) expect(gap).toBeGreaterThan(700);
    }
    const broken = await store.monitoring.samples({ monitor: 'production:api:readiness' }, from, to);
    expect(broken[0]).toMatchObject({
      outcome: 'down',
      status: 503,
      message: expect.stringContaining('503'),
    });
    const uptime = await store.monitoring.uptime({ service: 'api', environment: 'production' }, from, to);
    expect(uptime.down).toBe(broken.length);
    expect(uptime.total).toBe(server.requests.length);
    expect(seen.length).toBe(uptime.total);
    expect(inStoreWhenTold.every(Boolean)).toBe(true);
  });

  it('records a check that throws as down with the reason, and keeps checking that monitor', async () => {
    const clock = createManualClock(Date.now());
    const controller = new AbortController();
    const logs: string[] = [];
    let calls = 0;
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      log: (_level, message) => logs.push(message),
      monitors: instantMonitors(1, 1_000).map((m) => ({
        ...m,
        check: async () => {
          calls++;
          throw new Error('probe bug');
        },
      })),
    });
    for (let elapsed = 0; elapsed < 3_600; elapsed += 100) {
      await clock.advance(100);
      await waitFor('the checks started so far to end', () => engine.stats().running === 0);
    }
    controller.abort();
    await clock.advance(1_000);
    await engine.done;
    // Before, the first throw left the slot claimed and unwritten: the monitor was never checked again.
    expect(calls).toBeGreaterThanOrEqual(3);
    const id = engine.monitors[0]!.id;
    const samples = await store.monitoring.samples({ monitor: id }, clock.now() - 60_000, clock.now());
    expect(samples.length).toBe(calls);
    expect(samples.every((s) => s.outcome === 'down')).toBe(true);
    expect(samples[0]?.message).toBe('opsbook could not run this check: probe bug');
    expect(logs).toContain('checking: probe bug');
  });

  it('stops cleanly: no check after done, leases released, the instance gone', async () => {
    const clock = createManualClock(Date.now());
    const controller = new AbortController();
    let checks = 0;
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      instanceId: 'test-instance',
      clock,
      monitors: instantMonitors(2, 1_000).map((m) => ({
        ...m,
        check: (ctx) => {
          checks++;
          return m.check(ctx);
        },
      })),
    });
    expect((await store.monitoring.listInstances()).map((i) => i.instanceId)).toEqual(['test-instance']);
    await clock.advance(2_300);
    controller.abort();
    await clock.advance(100);
    await engine.done;
    expect(checks).toBeGreaterThanOrEqual(2);
    const atStop = checks;
    await clock.advance(3_000);
    expect(checks).toBe(atStop);
    expect((await store.monitoring.listMonitors()).every((m) => m.leaseOwner === null)).toBe(true);
    expect(await store.monitoring.listInstances()).toEqual([]);
    expect(engine.stats()).toMatchObject({ running: 0, pending: 0, unwritten: 0, writeErrors: 0 });
  });

  it('says when it falls behind (a stall makes checks start late) and when it keeps up again', async () => {
    const clock = createManualClock(Math.ceil(Date.now() / 1_000) * 1_000);
    const controller = new AbortController();
    const logs: string[] = [];
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      monitors: instantMonitors(2, 1_000),
      timing: { paceMs: 500, pruneEveryMs: 3_600_000 },
      log: (_level, message) => logs.push(message),
    });
    try {
      await clock.advance(2_000);
      expect(engine.stats().checks).toBeGreaterThanOrEqual(2);
      expect(logs).toEqual([]);
      // The process stalls 5 s: the checks claimed before it start ~4 s after they were due.
      await clock.jump(5_000);
      await clock.advance(600);
      expect(logs.find((l) => l.includes('falling behind'))).toMatch(
        /the monitor engine is falling behind: [\d.]+% of (due )?checks started late( or never ran)? \(up to [\d.]+ ?m?s[;)]/,
      );
      // Missed slots are skipped, not queued: the next checks are on time again and it says so.
      await clock.advance(3_000);
      expect(logs.at(-1)).toMatch(/keeps up again/);
      expect(engine.stats().pace?.behind).toBe(false);
    } finally {
      controller.abort();
      await clock.advance(1_000);
      await engine.done;
    }
  });

  it('does not call the slots missed while no instance ran its own lateness after a restart', async () => {
    const clock = createManualClock(Math.ceil(Date.now() / 1_000) * 1_000);
    const start = async (signal: AbortSignal, logs: string[]) =>
      createMonitorEngine({
        store,
        config: config(),
        environment: 'production',
        env: {},
        signal,
        clock,
        monitors: instantMonitors(4, 1_000),
        timing: { paceMs: 1_000, pruneEveryMs: 3_600_000 },
        log: (_level, message) => logs.push(message),
      });
    const first = new AbortController();
    const before = await start(first.signal, []);
    await clock.advance(2_000);
    first.abort();
    await clock.advance(1_000);
    await before.done;
    // Stopped for 10 s (an upgrade, a reboot): every slot of that time passed with nobody to run it.
    await clock.jump(10_000);
    const second = new AbortController();
    const logs: string[] = [];
    const after = await start(second.signal, logs);
    try {
      await clock.advance(3_500);
      expect(after.stats().checks).toBeGreaterThanOrEqual(8);
      expect(after.stats().pace).toMatchObject({ behind: false, skipped: 0 });
      expect(logs.filter((l) => l.includes('falling behind'))).toEqual([]);
    } finally {
      second.abort();
      await clock.advance(1_000);
      await after.done;
    }
  });

  it('says it falls behind when checks outlast their interval (slots skipped), not that it keeps up', async () => {
    const clock = createManualClock(Math.ceil(Date.now() / 1_000) * 1_000);
    const controller = new AbortController();
    const logs: string[] = [];
    // Each check takes 2.5 s at a 1 s interval: every check starts on time, but two slots of three never run.
    const slow = instantMonitors(4, 1_000).map((m) => ({
      ...m,
      timeoutMs: 5_000,
      check: async (ctx: Parameters<Monitor['check']>[0]) => {
        await new Promise<void>((r) => clock.setTimeout(r, 2_500));
        return m.check(ctx);
      },
    }));
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      monitors: slow,
      timing: { paceMs: 3_000, pruneEveryMs: 3_600_000 },
      log: (_level, message) => logs.push(message),
    });
    try {
      await clock.advance(9_500);
      expect(engine.stats().pace).toMatchObject({ behind: true });
      expect(engine.stats().pace!.skipped).toBeGreaterThan(0);
      expect(logs.find((l) => l.includes('falling behind'))).toMatch(
        /slot\(s\) skipped: a check ran past its next due time/,
      );
    } finally {
      controller.abort();
      await clock.advance(3_000);
      await engine.done;
    }
  });

  it('stays behind through a window in which every check is still running past its next due time', async () => {
    const clock = createManualClock(Math.ceil(Date.now() / 1_000) * 1_000);
    const controller = new AbortController();
    // 20 s checks at a 1 s interval: from about 2 s on nothing starts, nothing ends, and every slot is overdue.
    const slow = instantMonitors(3, 1_000).map((m) => ({
      ...m,
      timeoutMs: 30_000,
      check: async (ctx: Parameters<Monitor['check']>[0]) => {
        await new Promise<void>((r) => clock.setTimeout(r, 20_000));
        return m.check(ctx);
      },
    }));
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      monitors: slow,
      timing: { paceMs: 2_000, pruneEveryMs: 3_600_000 },
    });
    try {
      await clock.advance(8_500);
      expect(engine.stats()).toMatchObject({ running: 3, pending: 0 });
      expect(engine.stats().pace).toMatchObject({ behind: true, checksPerSecond: 0 });
      expect(engine.stats().pace!.worstLagMs).toBeGreaterThan(4_000);
    } finally {
      controller.abort();
      await clock.advance(25_000);
      await engine.done;
    }
  });

  it('stays behind through a window in which no check starts because every slot is held by a hung check', async () => {
    const clock = createManualClock(Math.ceil(Date.now() / 1_000) * 1_000);
    const controller = new AbortController();
    let hang = false;
    const monitors = instantMonitors(3, 1_000).map((m) => ({
      ...m,
      timeoutMs: 30_000,
      check: async (ctx: Parameters<Monitor['check']>[0]) => {
        if (hang) await new Promise<void>((r) => clock.setTimeout(r, 20_000));
        return m.check(ctx);
      },
    }));
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      monitors,
      concurrency: 1,
      timing: { paceMs: 2_000, pruneEveryMs: 3_600_000 },
    });
    try {
      await clock.advance(3_000);
      expect(engine.stats().pace?.behind).toBe(false);
      hang = true;
      // The one slot is held for 20 s: for whole windows nothing starts while the other checks wait.
      await clock.advance(9_000);
      expect(engine.stats().pending).toBeGreaterThan(0);
      expect(engine.stats().pace).toMatchObject({ behind: true, checksPerSecond: 0 });
      expect(engine.stats().pace!.worstLagMs).toBeGreaterThan(4_000);
    } finally {
      controller.abort();
      await clock.advance(25_000);
      await engine.done;
    }
  });

  it('does not check a slot again when its lease runs out before its result is written', async () => {
    const clock = createManualClock(Math.ceil(Date.now() / 1_000) * 1_000);
    const controller = new AbortController();
    // Writes hang for the first 4 s: the slot each monitor checked stays due in the store, and its lease
    // (a 500 ms timeout plus 250 ms) runs out long before the result lands, so claims hand the slot back.
    const writesFrom = clock.now() + 4_000;
    const real = store.monitoring;
    const slowWrites: Store = {
      ...store,
      monitoring: {
        ...real,
        completeChecks: async (owner, completions) => {
          while (clock.now() < writesFrom) await new Promise<void>((r) => clock.setTimeout(r, 50));
          return real.completeChecks(owner, completions);
        },
      },
    };
    const slots: string[] = [];
    const engine = await createMonitorEngine({
      store: slowWrites,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      monitors: instantMonitors(3, 1_000),
      timing: { pruneEveryMs: 3_600_000 },
      onCheck: (c) => slots.push(`${c.monitorId}@${c.dueAt}`),
    });
    try {
      await clock.advance(7_000);
      expect(slots.length).toBeGreaterThanOrEqual(3 * 3);
      expect(slots.filter((slot, i) => slots.indexOf(slot) !== i)).toEqual([]);
    } finally {
      controller.abort();
      await clock.advance(1_000);
      await engine.done;
    }
  });

  it('keeps every interval at a due rate past the old fixed claim cap of 1,000 a poll (1,500 checks/s on SQLite)', async () => {
    const clock = createManualClock(Date.now());
    const start = clock.now();
    const controller = new AbortController();
    const lags: number[] = [];
    const monitors = instantMonitors(3_000, 2_000);
    const engine = await createMonitorEngine({
      store,
      config: config(),
      environment: 'production',
      env: {},
      signal: controller.signal,
      clock,
      monitors,
      timing: { pruneEveryMs: 3_600_000 },
      // The store spreads first slots from its own (wall) clock: judge the slots after the first interval.
      onCheck: (c) => c.dueAt >= start + 2_000 && lags.push(c.lagMs),
    });
    try {
      // The first slot of every monitor falls within its first interval; then one check per interval.
      await clock.advance(6_500);
      expect(engine.stats().dueRate).toBe(1_500);
      expect(lags.length).toBeGreaterThanOrEqual(2 * 3_000);
      expect(Math.max(...lags)).toBe(0);
      expect(engine.stats().writeErrors).toBe(0);
    } finally {
      controller.abort();
      await clock.advance(1_000);
      await engine.done;
    }
    const checked = await store.monitoring.listMonitors({ environment: 'production' });
    expect(checked.filter((m) => m.last === null)).toEqual([]);
  }, 60_000);
});
