// The behaviour of store.monitoring every backend must show; monitoring-sqlite.test.ts and
// monitoring-postgres.test.ts register it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../redact/index.js';
import type { MonitorDefinition, NewSample, SampleOutcome, Store, StoreBackend } from './index.js';
import type { StoreContractOptions, StoreContractTarget } from './store.contract.js';

const T0 = Date.parse('2030-03-10T00:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function createClock(start = T0) {
  let ms = start;
  return { now: () => new Date(ms), set: (to: number) => (ms = to), advance: (by: number) => (ms += by) };
}

function createRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Samples for two monitors of `api` and one of `worker`, at random times over `spanMs` from T0. */
function generateSamples(count: number, spanMs: number, seed: number): NewSample[] {
  const random = createRandom(seed);
  const monitors = [
    { monitorId: 'production:api:readiness', service: 'api' },
    { monitorId: 'production:api:liveness', service: 'api' },
    { monitorId: 'production:worker:ping', service: 'worker' },
  ];
  return Array.from({ length: count }, () => {
    const m = monitors[Math.floor(random() * monitors.length)]!;
    const roll = random();
    const outcome: SampleOutcome = roll < 0.8 ? 'up' : roll < 0.9 ? 'degraded' : 'down';
    return {
      ...m,
      environment: 'production',
      at: T0 + Math.floor(random() * spanMs),
      outcome,
      latencyMs: Math.exp(Math.log(60) + 1.2 * (random() + random() + random() - 1.5)),
      status: outcome === 'down' ? 503 : 200,
    };
  });
}

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** One answered check of a monitor `<environment>:<service>:<name>`. */
function sampleOf(id: string, at: number): NewSample {
  const [environment = '', service = ''] = id.split(':');
  return { monitorId: id, environment, service, at, outcome: 'up', latencyMs: 1 };
}

/** A monitor `<environment>:<service>:<name>` as the engine would define it. */
export function definition(id: string, intervalMs = 30_000): MonitorDefinition {
  const [environment = '', service = '', name = ''] = id.split(':');
  return {
    id,
    environment,
    service,
    name,
    kind: 'http',
    target: `GET https://${service}.test/health`,
    intervalMs,
    timeoutMs: 2_000,
    retries: 1,
  };
}

export function describeMonitoringContract(
  /** The backend, or a name for a variant of one (e.g. SQLite on a worker thread). */
  backend: StoreBackend | `${StoreBackend} ${string}`,
  createTarget: () => Promise<StoreContractTarget>,
  options: StoreContractOptions = {},
): void {
  describe.skipIf(Boolean(options.skip))(`monitoring store contract: ${backend}`, () => {
    let target: StoreContractTarget;
    let opened: Store[] = [];
    const open = async (o?: Parameters<StoreContractTarget['open']>[0]) => {
      const store = await target.open(o);
      opened.push(store);
      return store;
    };
    beforeEach(async () => {
      target = await createTarget();
      opened = [];
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await target.dispose();
    });

    describe('samples and rollups', () => {
      it('returns raw samples per monitor or per service, in order, with a limit', async () => {
        const { monitoring } = await open();
        const samples = generateSamples(60, 10 * MINUTE, 1);
        await monitoring.recordSamples(samples);
        const readiness = samples.filter((s) => s.monitorId === 'production:api:readiness');
        const got = await monitoring.samples({ monitor: 'production:api:readiness' }, T0, T0 + HOUR);
        expect(got.map((s) => Date.parse(s.at))).toEqual(
          readiness.map((s) => s.at as number).sort((a, b) => a - b),
        );
        expect(got[0]).toMatchObject({ environment: 'production', service: 'api', attempts: 1 });
        const api = await monitoring.samples({ service: 'api', environment: 'production' }, T0, T0 + HOUR);
        expect(api).toHaveLength(samples.filter((s) => s.service === 'api').length);
        const latest = await monitoring.samples(
          { service: 'api', environment: 'production' },
          T0,
          T0 + HOUR,
          {
            order: 'desc',
            limit: 3,
          },
        );
        expect(latest.map((s) => s.at)).toEqual(
          api
            .slice(-3)
            .reverse()
            .map((s) => s.at),
        );
        expect(await monitoring.samples({ service: 'api', environment: 'staging' }, T0, T0 + HOUR)).toEqual(
          [],
        );
      });

      it('counts every check in minute, hour and day buckets, empty buckets included', async () => {
        const { monitoring } = await open();
        const samples = generateSamples(400, 3 * HOUR, 2);
        await monitoring.recordSamples(samples);
        const selector = { monitor: 'production:worker:ping' };
        const mine = samples.filter((s) => s.monitorId === selector.monitor);
        const hours = await monitoring.buckets(selector, 'hour', T0 - HOUR, T0 + 4 * HOUR);
        expect(hours.map((b) => b.start)).toEqual(
          [-1, 0, 1, 2, 3].map((h) => new Date(T0 + h * HOUR).toISOString()),
        );
        expect(hours[0]).toMatchObject({ total: 0, latencyCount: 0, meanMs: null });
        for (let h = 0; h < 3; h++) {
          const inHour = mine.filter(
            (s) => (s.at as number) >= T0 + h * HOUR && (s.at as number) < T0 + (h + 1) * HOUR,
          );
          expect(hours[h + 1]).toMatchObject({
            total: inHour.length,
            good: inHour.filter((s) => s.outcome === 'up').length,
            degraded: inHour.filter((s) => s.outcome === 'degraded').length,
            down: inHour.filter((s) => s.outcome === 'down').length,
            latencyCount: inHour.filter((s) => s.outcome !== 'down').length,
          });
        }
        const [day] = await monitoring.buckets(selector, 'day', T0, T0 + DAY);
        expect(day?.total).toBe(mine.length);
        const minutes = await monitoring.buckets(selector, 'minute', T0, T0 + 3 * HOUR);
        expect(minutes).toHaveLength(180);
        expect(minutes.reduce((n, b) => n + b.total, 0)).toBe(mine.length);
      });

      it('merges bucket sketches across many writes: quantiles within 1% of exact', async () => {
        const { monitoring } = await open();
        const samples = generateSamples(3_000, 2 * HOUR, 3);
        // Written in small batches, as the engine does: every bucket is upserted many times.
        for (let i = 0; i < samples.length; i += 150)
          await monitoring.recordSamples(samples.slice(i, i + 150));
        const selector = { service: 'api', environment: 'production' };
        const answered = samples
          .filter((s) => s.service === 'api' && s.outcome !== 'down')
          .map((s) => s.latencyMs);
        // Whole hours: the answer comes from the hour buckets alone.
        const result = await monitoring.latencyQuantiles(selector, T0, T0 + 2 * HOUR, [0.5, 0.95, 0.99]);
        expect(result.count).toBe(answered.length);
        expect(result.minMs).toBeCloseTo(Math.min(...answered), 6);
        expect(result.maxMs).toBeCloseTo(Math.max(...answered), 6);
        for (const { q, ms } of result.quantiles) {
          const exact = exactQuantile(answered, q);
          expect(Math.abs((ms ?? 0) - exact) / exact).toBeLessThanOrEqual(0.01);
        }
        const [bucket] = await monitoring.buckets(selector, 'day', T0, T0 + DAY, { quantiles: [0.5] });
        expect(
          Math.abs((bucket?.quantiles?.[0] ?? 0) - exactQuantile(answered, 0.5)) /
            exactQuantile(answered, 0.5),
        ).toBeLessThanOrEqual(0.01);
      });

      it('answers uptime and quantiles over ragged windows exactly, edges from raw samples', async () => {
        const { monitoring } = await open();
        const samples = generateSamples(2_000, 3 * DAY, 4);
        await monitoring.recordSamples(samples);
        const random = createRandom(5);
        for (let i = 0; i < 6; i++) {
          const from = T0 + Math.floor(random() * 1.5 * DAY);
          const to = from + Math.floor(random() * 1.5 * DAY);
          const inWindow = samples.filter(
            (s) => s.service === 'api' && (s.at as number) >= from && (s.at as number) < to,
          );
          const selector = { service: 'api', environment: 'production' };
          const uptime = await monitoring.uptime(selector, from, to);
          const count = (o: SampleOutcome) => inWindow.filter((s) => s.outcome === o).length;
          expect(uptime).toMatchObject({
            total: inWindow.length,
            good: count('up'),
            degraded: count('degraded'),
            down: count('down'),
            from: new Date(from).toISOString(),
          });
          expect(uptime.availability).toBeCloseTo((count('up') + count('degraded')) / inWindow.length, 10);
          const answered = inWindow.filter((s) => s.outcome !== 'down').map((s) => s.latencyMs);
          const { quantiles, count: n } = await monitoring.latencyQuantiles(selector, from, to, [0.95]);
          expect(n).toBe(answered.length);
          const exact = exactQuantile(answered, 0.95);
          expect(Math.abs((quantiles[0]?.ms ?? 0) - exact) / exact).toBeLessThanOrEqual(0.01);
        }
        // Every service at once answers as each service alone, over a ragged window.
        const [from, to] = [T0 + 7_777_777, T0 + 2 * DAY + 1_234_567];
        const all = await monitoring.uptimeByService('production', from, to);
        const services = [...new Set(samples.map((s) => s.service))].sort();
        expect([...all.keys()].sort()).toEqual(services);
        for (const service of services)
          expect(all.get(service)).toEqual(
            await monitoring.uptime({ service, environment: 'production' }, from, to),
          );
        expect((await monitoring.uptimeByService('staging', from, to)).size).toBe(0);
        const none = await monitoring.uptime({ monitor: 'production:nothing:here' }, T0, T0 + DAY);
        expect(none).toMatchObject({ total: 0, availability: null });
      });

      it("leaves a service's heartbeat monitors out of its latency, not out of its uptime", async () => {
        const { monitoring } = await open();
        const http = definition('production:worker:health');
        const heartbeat = {
          ...definition('production:worker:heartbeat-nightly'),
          kind: 'heartbeat' as const,
        };
        await monitoring.syncMonitors('production', [http, heartbeat]);
        const at = (i: number) => T0 + 90_000 + i * 60_000;
        await monitoring.recordSamples([
          ...[0, 1, 2].map((i) => ({ ...sampleOf(http.id, at(i)), latencyMs: 400 })),
          ...[0, 1, 2].map((i) => ({ ...sampleOf(heartbeat.id, at(i)), latencyMs: 0 })),
        ]);
        const selector = { service: 'worker', environment: 'production' };
        // A window with whole minutes (rollups) and ragged edges (raw samples).
        const [from, to] = [T0 + 30_000, T0 + 10 * 60_000 + 15_000];
        const latency = await monitoring.latencyQuantiles(selector, from, to, [0.5]);
        expect(latency.count).toBe(3);
        expect(latency.quantiles[0]?.ms).toBeCloseTo(400, -1);
        expect((await monitoring.uptime(selector, from, to)).total).toBe(6);
        // The monitor's own figures are its own.
        expect((await monitoring.latencyQuantiles({ monitor: heartbeat.id }, from, to, [0.5])).count).toBe(3);
      });

      it('keeps messages that look like array or SQL syntax exactly, in samples and in the last result', async () => {
        const { monitoring } = await open();
        // PostgreSQL receives the rows as arrays (monitoring-sql.ts): each of these would break a naive literal.
        const messages = ['NULL', 'a,b', '{x}', 'say "hi" \\ back\\slash', 'two\nlines', 'ünï ✓', ''];
        const ids = messages.map((_, i) => `production:svc:m${i}`);
        await monitoring.syncMonitors(
          'production',
          ids.map((id) => definition(id, 10_000)),
        );
        const claimed = await monitoring.claimDue({
          owner: 'me',
          environment: 'production',
          horizon: Date.now() + DAY,
          limit: 100,
        });
        expect(claimed).toHaveLength(ids.length);
        const at = Date.now();
        const completed = await monitoring.completeChecks(
          'me',
          claimed.map((c) => {
            const i = ids.indexOf(c.monitorId);
            const sample = {
              monitorId: c.monitorId,
              environment: 'production',
              service: 'svc',
              at: at + i,
              outcome: 'down' as const,
              latencyMs: i + 0.5,
              status: i % 2 ? undefined : 500,
              message: messages[i],
            };
            return { monitorId: c.monitorId, nextDueAt: at + DAY, sample };
          }),
        );
        expect(completed).toBe(ids.length);
        const samples = await monitoring.samples({ service: 'svc', environment: 'production' }, at, at + 100);
        expect(samples.map((s) => [s.monitorId, s.message ?? '', s.latencyMs, s.status ?? null])).toEqual(
          ids.map((id, i) => [id, messages[i], i + 0.5, i % 2 ? null : 500]),
        );
        const listed = await monitoring.listMonitors({ environment: 'production' });
        expect(Object.fromEntries(listed.map((m) => [m.id, m.last?.message ?? '']))).toEqual(
          Object.fromEntries(ids.map((id, i) => [id, messages[i]])),
        );
      });

      it('redacts and caps sample messages before they are stored', async () => {
        const secret = 'hunter2-very-secret-token';
        const { monitoring } = await open({ redactor: createRedactor([secret]) });
        await monitoring.recordSamples([
          {
            monitorId: 'p:a:b',
            environment: 'p',
            service: 'a',
            at: T0,
            outcome: 'down',
            latencyMs: 5,
            message: `401 for ${secret} ${'x'.repeat(2000)}`,
          },
        ]);
        const [sample] = await monitoring.samples({ monitor: 'p:a:b' }, T0, T0 + 1);
        expect(sample?.message).not.toContain(secret);
        expect(sample?.message?.length).toBeLessThanOrEqual(500);
        expect(await target.dumpRaw()).not.toContain(secret);
      });

      it('prunes each kind of history by its own retention', async () => {
        const clock = createClock(T0 + 10 * DAY);
        const { monitoring } = await open({ now: clock.now });
        const samples = generateSamples(500, 10 * DAY, 6);
        await monitoring.recordSamples(samples);
        const result = await monitoring.prune({
          raw: 2 * DAY,
          minute: 4 * DAY,
          hour: 6 * DAY,
          day: 400 * DAY,
        });
        expect(result.pruned).toBe(true);
        const cutoff = T0 + 8 * DAY;
        expect(result.deleted.raw).toBe(samples.filter((s) => (s.at as number) < cutoff).length);
        expect(result.deleted.day).toBe(0);
        const all = { service: 'api', environment: 'production' };
        expect(
          (await monitoring.samples(all, T0, T0 + 10 * DAY)).every((s) => Date.parse(s.at) >= cutoff),
        ).toBe(true);
        expect((await monitoring.buckets(all, 'minute', T0, T0 + 6 * DAY)).every((b) => b.total === 0)).toBe(
          true,
        );
        expect((await monitoring.buckets(all, 'hour', T0, T0 + 4 * DAY)).every((b) => b.total === 0)).toBe(
          true,
        );
        // Whole days are still answered from the day buckets.
        const api = samples.filter((s) => s.service === 'api' && (s.at as number) < T0 + 3 * DAY);
        expect((await monitoring.uptime(all, T0, T0 + 3 * DAY)).total).toBe(api.length);
        // A service's own counts go with its monitors': an hour older than the hour cutoff, a minute older than
        // the minute cutoff (the same checks live on in coarser buckets, which these windows do not read).
        const apiAt = (from: number, to: number) =>
          samples.find((s) => s.service === 'api' && (s.at as number) >= from && (s.at as number) < to)!
            .at as number;
        const hour = Math.floor(apiAt(T0, T0 + 4 * DAY - HOUR) / HOUR) * HOUR;
        const minute = Math.floor(apiAt(T0 + 4 * DAY + HOUR, T0 + 6 * DAY - HOUR) / 60_000) * 60_000;
        for (const [from, to] of [
          [hour, hour + HOUR],
          [minute, minute + 60_000],
        ] as const) {
          expect((await monitoring.uptime(all, from, to)).total).toBe(0);
          expect((await monitoring.uptimeByService('production', from, to)).get('api')?.total ?? 0).toBe(0);
        }
        expect(
          (await monitoring.prune({ raw: 2 * DAY, minute: 4 * DAY, hour: 6 * DAY, day: 400 * DAY })).deleted,
        ).toEqual({
          raw: 0,
          minute: 0,
          hour: 0,
          day: 0,
        });
      });
    });

    describe('schedule and leases', () => {
      it('adds monitors spread over their interval, keeps them across syncs, removes dropped ones', async () => {
        const clock = createClock();
        const { monitoring } = await open({ now: clock.now });
        const ids = Array.from({ length: 40 }, (_, i) => `production:svc${i}:health`);
        expect(
          await monitoring.syncMonitors(
            'production',
            ids.map((id) => definition(id)),
          ),
        ).toEqual({ added: 40, removed: 0 });
        const first = await monitoring.listMonitors({ environment: 'production' });
        const offsets = first.map((m) => Date.parse(m.nextDueAt) - T0);
        expect(offsets.every((o) => o > 0 && o <= 30_000)).toBe(true);
        // Spread, not bunched: the 40 due times fall into at least 4 of the interval's 6 five-second slices.
        expect(new Set(offsets.map((o) => Math.floor(o / 5_000))).size).toBeGreaterThanOrEqual(4);
        clock.advance(7_000);
        expect(
          await monitoring.syncMonitors(
            'production',
            ids.slice(5).map((id) => definition(id)),
          ),
        ).toEqual({ added: 0, removed: 5 });
        const second = await monitoring.listMonitors({ environment: 'production' });
        expect(second).toHaveLength(35);
        for (const m of second) expect(m.nextDueAt).toBe(first.find((f) => f.id === m.id)?.nextDueAt);
        expect(second[0]).toMatchObject({
          kind: 'http',
          intervalMs: 30_000,
          timeoutMs: 2_000,
          retries: 1,
          last: null,
        });
        expect(await monitoring.listMonitors({ environment: 'staging' })).toEqual([]);
      });

      it('lists every monitor in id order past one page of rows, and by service', async () => {
        const { monitoring } = await open();
        const ids = Array.from(
          { length: 2_345 },
          (_, i) => `production:svc${i % 3}:m${String(i).padStart(4, '0')}`,
        );
        await monitoring.syncMonitors(
          'production',
          ids.map((id) => definition(id)),
        );
        const all = await monitoring.listMonitors({ environment: 'production' });
        expect(all.map((m) => m.id)).toEqual([...ids].sort());
        const svc1 = await monitoring.listMonitors({ environment: 'production', service: 'svc1' });
        expect(svc1.map((m) => m.id)).toEqual(ids.filter((id) => id.includes(':svc1:')).sort());
      });

      it("gives each monitor's last outcome, for one environment, in id order past one page of rows", async () => {
        const { monitoring } = await open();
        const ids = Array.from(
          { length: 10_234 },
          (_, i) => `production:svc${i % 3}:m${String(i).padStart(5, '0')}`,
        );
        await monitoring.syncMonitors(
          'production',
          ids.map((id) => definition(id)),
        );
        await monitoring.syncMonitors('staging', [definition('staging:svc0:m00000')]);
        const [down, up] = await monitoring.claimDue({
          owner: 'me',
          environment: 'production',
          horizon: Date.now() + DAY,
          limit: 2,
        });
        const at = Date.now();
        const sample = (monitorId: string, outcome: 'up' | 'down') => {
          const [environment = '', service = ''] = monitorId.split(':');
          return { monitorId, environment, service, at, outcome, latencyMs: 5 };
        };
        await monitoring.completeChecks('me', [
          { monitorId: down!.monitorId, nextDueAt: at + DAY, sample: sample(down!.monitorId, 'down') },
          { monitorId: up!.monitorId, nextDueAt: at + DAY, sample: sample(up!.monitorId, 'up') },
        ]);
        const states = await monitoring.monitorStates('production');
        expect(states.map((m) => m.id)).toEqual([...ids].sort());
        expect(states.find((m) => m.id === down!.monitorId)).toEqual({
          id: down!.monitorId,
          environment: 'production',
          service: down!.monitorId.split(':')[1],
          kind: 'http',
          lastOutcome: 'down',
          lastAt: at,
          intervalMs: expect.any(Number),
          timeoutMs: expect.any(Number),
        });
        expect(states.find((m) => m.lastOutcome === null)?.lastAt).toBeNull();
        expect(states.find((m) => m.id === up!.monitorId)?.lastOutcome).toBe('up');
        expect(states.filter((m) => m.lastOutcome === null)).toHaveLength(ids.length - 2);
      });

      it('claims due checks once, releases them on completion, and moves the schedule on', async () => {
        const clock = createClock();
        const { monitoring } = await open({ now: clock.now });
        const ids = ['production:a:health', 'production:b:health', 'production:c:health'];
        await monitoring.syncMonitors(
          'production',
          ids.map((id) => definition(id, 10_000)),
        );
        const horizon = T0 + 10_000;
        const claimed = await monitoring.claimDue({
          owner: 'one',
          environment: 'production',
          horizon,
          limit: 10,
        });
        expect(claimed.map((c) => c.monitorId).sort()).toEqual(ids);
        expect(claimed.map((c) => c.dueAt)).toEqual([...claimed.map((c) => c.dueAt)].sort((a, b) => a - b));
        expect(
          await monitoring.claimDue({ owner: 'two', environment: 'production', horizon, limit: 10 }),
        ).toEqual([]);
        const [first, ...rest] = claimed;
        clock.set(first!.dueAt + 20);
        const completed = await monitoring.completeChecks('one', [
          {
            monitorId: first!.monitorId,
            nextDueAt: first!.dueAt + 10_000,
            sample: {
              monitorId: first!.monitorId,
              environment: 'production',
              service: 'a',
              at: first!.dueAt,
              outcome: 'down',
              latencyMs: 12,
              message: 'status 503',
            },
          },
        ]);
        expect(completed).toBe(1);
        // Someone else's lease is not ours to complete.
        expect(
          await monitoring.completeChecks(
            'two',
            rest.map((c) => ({ monitorId: c.monitorId, nextDueAt: c.dueAt + 10_000 })),
          ),
        ).toBe(0);
        const records = await monitoring.listMonitors();
        const done = records.find((m) => m.id === first!.monitorId);
        expect(done).toMatchObject({
          leaseOwner: null,
          nextDueAt: new Date(first!.dueAt + 10_000).toISOString(),
        });
        expect(done?.last).toMatchObject({ outcome: 'down', latencyMs: 12, message: 'status 503' });
        // The sample went in with the completion, rollups included.
        expect((await monitoring.uptime({ monitor: first!.monitorId }, T0, T0 + HOUR)).down).toBe(1);
        expect(records.filter((m) => m.leaseOwner === 'one')).toHaveLength(2);
        expect(
          await monitoring.claimDue({
            owner: 'two',
            environment: 'production',
            horizon: first!.dueAt + 9_999,
            limit: 10,
          }),
        ).toEqual([]);
        expect(await monitoring.releaseClaims('one')).toBe(2);
        expect((await monitoring.listMonitors()).every((m) => m.leaseOwner === null)).toBe(true);
      });

      it("takes over a lease once it expires: a killed instance's checks are not lost", async () => {
        const clock = createClock();
        const { monitoring } = await open({ now: clock.now });
        await monitoring.syncMonitors('production', [definition('production:a:health', 10_000)]);
        const [claim] = await monitoring.claimDue({
          owner: 'dead',
          environment: 'production',
          horizon: T0 + 10_000,
          limit: 5,
        });
        expect(claim).toBeDefined();
        clock.set(claim!.leaseUntil - 1);
        expect(
          await monitoring.claimDue({
            owner: 'alive',
            environment: 'production',
            horizon: T0 + 20_000,
            limit: 5,
          }),
        ).toEqual([]);
        clock.set(claim!.leaseUntil);
        const [taken] = await monitoring.claimDue({
          owner: 'alive',
          environment: 'production',
          horizon: T0 + 20_000,
          limit: 5,
        });
        expect(taken).toMatchObject({ monitorId: 'production:a:health', dueAt: claim!.dueAt });
        expect(await monitoring.completeChecks('dead', [{ monitorId: claim!.monitorId, nextDueAt: 0 }])).toBe(
          0,
        );
      });

      it('never hands one check to two concurrent claimers', async () => {
        const clock = createClock();
        const stores = [
          await open({ now: clock.now }),
          await open({ now: clock.now }),
          await open({ now: clock.now }),
        ];
        const ids = Array.from({ length: 300 }, (_, i) => `production:s${i}:health`);
        await stores[0]!.monitoring.syncMonitors(
          'production',
          ids.map((id) => definition(id, 10_000)),
        );
        const results = await Promise.all(
          stores.flatMap((s, i) =>
            [0, 1, 2, 3].map(() =>
              s.monitoring.claimDue({
                owner: `owner${i}`,
                environment: 'production',
                horizon: T0 + 10_000,
                limit: 40,
              }),
            ),
          ),
        );
        const claimed = results.flat().map((c) => c.monitorId);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.length).toBe(300);
      });

      it('moves a due time missed while nobody ran to its next slot, instead of firing at once', async () => {
        const clock = createClock();
        const { monitoring } = await open({ now: clock.now });
        await monitoring.syncMonitors('production', [definition('production:a:health', 10_000)]);
        const [before] = await monitoring.listMonitors();
        clock.advance(35_000);
        await monitoring.syncMonitors('production', [definition('production:a:health', 10_000)]);
        const [after] = await monitoring.listMonitors();
        const due = Date.parse(after!.nextDueAt);
        expect(due).toBeGreaterThan(T0 + 35_000);
        expect(due).toBeLessThanOrEqual(T0 + 45_000);
        // Same phase: a whole number of intervals on.
        expect((due - Date.parse(before!.nextDueAt)) % 10_000).toBe(0);
      });

      it('records instance heartbeats and forgets silent ones', async () => {
        const clock = createClock();
        const { monitoring } = await open({ now: clock.now });
        await monitoring.heartbeat({ instanceId: 'a', environment: 'production', info: { pid: 1 } });
        clock.advance(20_000);
        await monitoring.heartbeat({ instanceId: 'b', environment: 'production' });
        expect((await monitoring.listInstances({ aliveWithinMs: 10_000 })).map((i) => i.instanceId)).toEqual([
          'b',
        ]);
        const all = await monitoring.listInstances({ aliveWithinMs: 60_000 });
        expect(all).toMatchObject([
          { instanceId: 'a', info: { pid: 1 }, startedAt: new Date(T0).toISOString() },
          { instanceId: 'b' },
        ]);
        await monitoring.removeInstance('a');
        expect((await monitoring.listInstances({ aliveWithinMs: 60_000 })).map((i) => i.instanceId)).toEqual([
          'b',
        ]);
      });
    });
  });
}
