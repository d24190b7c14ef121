import { describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../test/support/manual-clock.js';
import type { ClaimedCheck } from '../store/index.js';
import { type SchedulerOptions, startScheduler } from './scheduler.js';

/** A claim source over a fixed list: hands out what is due by the horizon, each check once. */
function createSource(checks: ClaimedCheck[]) {
  const left = [...checks];
  const limits: number[] = [];
  return {
    limits,
    claim: async (horizon: number, limit: number) => {
      limits.push(limit);
      const due = left.filter((c) => c.dueAt <= horizon).slice(0, Math.max(0, limit));
      for (const c of due) left.splice(left.indexOf(c), 1);
      return due;
    },
  };
}

const check = (monitorId: string, dueAt: number): ClaimedCheck => ({
  monitorId,
  dueAt,
  intervalMs: 10_000,
  leaseUntil: dueAt + 5_000,
});

const wait = (clock: ManualClock, ms: number) =>
  new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

function options(
  clock: ManualClock,
  over: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'claim' | 'run' | 'signal'>,
): SchedulerOptions {
  return {
    clock,
    dueRate: 10,
    concurrency: { min: 4, max: 4 },
    pollMs: 20,
    lookaheadMs: 60,
    maxPending: 100,
    saturated: () => false,
    onError: (error: unknown) => {
      throw error;
    },
    ...over,
  };
}

describe('startScheduler', () => {
  it('starts each check at its due time, not before, in due order', async () => {
    const clock = createManualClock();
    const base = clock.now() + 50;
    const source = createSource([check('c', base + 90), check('a', base), check('b', base + 40)]);
    const started: { id: string; at: number; due: number }[] = [];
    const controller = new AbortController();
    const scheduler = startScheduler(
      options(clock, {
        claim: source.claim,
        signal: controller.signal,
        run: async (c, at) => void started.push({ id: c.monitorId, at, due: c.dueAt }),
      }),
    );
    await clock.advance(500);
    controller.abort();
    await scheduler.done;
    expect(started.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    for (const s of started) expect(s.at).toBe(s.due);
  });

  it('never runs more than a fixed `concurrency` checks at once', async () => {
    const clock = createManualClock();
    const source = createSource(Array.from({ length: 20 }, (_, i) => check(`m${i}`, clock.now() + 30)));
    let running = 0;
    let peak = 0;
    let finished = 0;
    const controller = new AbortController();
    const scheduler = startScheduler(
      options(clock, {
        concurrency: { min: 3, max: 3 },
        claim: source.claim,
        signal: controller.signal,
        run: async () => {
          peak = Math.max(peak, ++running);
          await wait(clock, 15);
          running--;
          finished++;
        },
      }),
    );
    await clock.advance(1_000);
    controller.abort();
    await scheduler.done;
    expect(finished).toBe(20);
    expect(peak).toBe(3);
  });

  it('claims no more than it may hold', async () => {
    const clock = createManualClock();
    const source = createSource(Array.from({ length: 50 }, (_, i) => check(`m${i}`, clock.now() + 200)));
    const controller = new AbortController();
    const scheduler = startScheduler(
      options(clock, {
        maxPending: 8,
        lookaheadMs: 1_000,
        claim: source.claim,
        signal: controller.signal,
        run: async () => {},
      }),
    );
    await clock.advance(60);
    expect(scheduler.pending).toBe(8);
    expect(source.limits).toEqual([8]);
    controller.abort();
    await scheduler.done;
  });

  it('stops on abort: nothing new starts, and done waits for running checks and an in-flight claim', async () => {
    const clock = createManualClock();
    const source = createSource([check('slow', clock.now() + 20), check('later', clock.now() + 300)]);
    const events: string[] = [];
    const controller = new AbortController();
    let claimsInFlight = 0;
    const scheduler = startScheduler(
      options(clock, {
        claim: async (horizon, limit) => {
          claimsInFlight++;
          const claimed = await source.claim(horizon, limit);
          await wait(clock, 5);
          claimsInFlight--;
          return claimed;
        },
        signal: controller.signal,
        run: async (c) => {
          events.push(`start ${c.monitorId}`);
          await wait(clock, 80);
          events.push(`end ${c.monitorId}`);
        },
      }),
    );
    await clock.advance(30);
    expect(events).toEqual(['start slow']);
    controller.abort();
    let stopped = false;
    void scheduler.done.then(() => {
      stopped = true;
    });
    await clock.advance(10);
    expect(stopped).toBe(false);
    await clock.advance(100);
    expect(stopped).toBe(true);
    events.push('done');
    expect(claimsInFlight).toBe(0);
    await clock.advance(400);
    expect(events).toEqual(['start slow', 'end slow', 'done']);
  });
});

describe('startScheduler under a backlog', () => {
  it('takes a backlog in few large claims, at once rather than a poll later', async () => {
    const clock = createManualClock();
    const due = clock.now() - 1_000;
    const source = createSource(Array.from({ length: 100 }, (_, i) => check(`m${i}`, due)));
    const controller = new AbortController();
    let ran = 0;
    const scheduler = startScheduler(
      options(clock, {
        claim: source.claim,
        signal: controller.signal,
        // One poll per minute: only claims made as room frees up can take all 100 checks within a second.
        pollMs: 60_000,
        maxPending: 20,
        concurrency: { min: 2, max: 2 },
        run: async () => {
          await wait(clock, 1);
          ran++;
        },
      }),
    );
    await clock.advance(1_000);
    controller.abort();
    await scheduler.done;
    expect(ran).toBe(100);
    // After the first, each claim waited for a quarter of the room (5) rather than claiming per finished check.
    const claimed = source.limits.filter((l) => l > 0);
    expect(claimed.every((l) => l >= 5)).toBe(true);
    expect(claimed.length).toBeLessThanOrEqual(100 / 5 + 1);
  });
});

describe('startScheduler concurrency', () => {
  // 100 checks/s due, each taking 500 ms: 50 in flight keep up; the scheduler aims at twice that.
  const run = async (saturated: boolean, spacingMs = 10) => {
    const clock = createManualClock();
    const checks = Array.from({ length: 400 }, (_, i) => check(`m${i}`, clock.now() + i * spacingMs));
    const source = createSource(checks);
    const controller = new AbortController();
    let running = 0;
    let peak = 0;
    const scheduler = startScheduler(
      options(clock, {
        dueRate: 100,
        concurrency: { min: 4, max: 1_000 },
        lookaheadMs: 1_000,
        claim: source.claim,
        signal: controller.signal,
        saturated: () => saturated,
        run: async () => {
          peak = Math.max(peak, ++running);
          await wait(clock, 500);
          running--;
        },
      }),
    );
    await clock.advance(5_000);
    const concurrency = scheduler.concurrency;
    controller.abort();
    // Checks still running finish on the clock.
    await clock.advance(1_000);
    await scheduler.done;
    return { concurrency, peak };
  };

  it('sizes checks in flight from the due rate and the measured check duration', async () => {
    const { concurrency, peak } = await run(false);
    // Assumed 100 ms at first (20 in flight), then the measured 500 ms moves it towards 100.
    expect(concurrency).toBeGreaterThan(60);
    expect(concurrency).toBeLessThanOrEqual(100);
    expect(peak).toBeGreaterThanOrEqual(50);
  });

  it('short of CPU, grows only while due checks wait for a slot, and only to half a second of the due rate', async () => {
    // 20 in flight do 40 of the 100 checks due a second: checks wait, and it grows, but not to the 100 it would.
    const behind = await run(true);
    expect(behind.concurrency).toBe(50);
    expect(behind.peak).toBe(50);
    // Checks due every 100 ms need 5 in flight: none waits, so it stays at the 20 it had.
    const keepingUp = await run(true, 100);
    expect(keepingUp.concurrency).toBe(20);
    expect(keepingUp.peak).toBeLessThanOrEqual(20);
  });
});

describe('startScheduler and leases', () => {
  it('does not start a check whose lease ran out while it waited, and starts its re-claimed copy first', async () => {
    const clock = createManualClock();
    const t0 = clock.now();
    // One slot, and a first check that holds it for 300 ms: 'late' (lease until t0 + 100) waits past its lease.
    const first = [
      check('busy', t0),
      { ...check('late', t0), leaseUntil: t0 + 100 },
      check('next', t0 + 150),
    ];
    // The store hands the expired monitor back once its lease is out, with a fresh lease and its old due time.
    const again = { ...check('late', t0), leaseUntil: t0 + 5_000 };
    const handOut = [first, [again]];
    const started: { id: string; lease: number }[] = [];
    const controller = new AbortController();
    const scheduler = startScheduler(
      options(clock, {
        concurrency: { min: 1, max: 1 },
        claim: async () => (handOut.length === 2 || clock.now() >= t0 + 100 ? (handOut.shift() ?? []) : []),
        signal: controller.signal,
        run: async (c) => {
          started.push({ id: c.monitorId, lease: c.leaseUntil });
          await wait(clock, c.monitorId === 'busy' ? 300 : 10);
        },
      }),
    );
    await clock.advance(1_000);
    controller.abort();
    await scheduler.done;
    // The expired copy never ran; the re-claimed one (due at t0) ran before 'next' (due at t0 + 150).
    expect(started).toEqual([
      { id: 'busy', lease: t0 + 5_000 },
      { id: 'late', lease: t0 + 5_000 },
      { id: 'next', lease: t0 + 5_150 },
    ]);
    expect(scheduler.waitingSince).toBeUndefined();
  });

  it('says since when a due check has waited for a slot', async () => {
    const clock = createManualClock();
    const t0 = clock.now();
    const source = createSource([check('busy', t0), check('waiting', t0 + 10)]);
    const controller = new AbortController();
    const scheduler = startScheduler(
      options(clock, {
        concurrency: { min: 1, max: 1 },
        claim: source.claim,
        signal: controller.signal,
        run: () => wait(clock, 200),
      }),
    );
    await clock.advance(50);
    expect(scheduler.waitingSince).toBe(t0 + 10);
    await clock.advance(200);
    expect(scheduler.waitingSince).toBeUndefined();
    controller.abort();
    await clock.advance(300);
    await scheduler.done;
  });
});
