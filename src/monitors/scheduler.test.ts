import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
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

function options(over: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'claim' | 'run' | 'signal'>) {
  return {
    concurrency: 4,
    pollMs: 20,
    lookaheadMs: 60,
    maxPending: 100,
    onError: (error: unknown) => {
      throw error;
    },
    ...over,
  };
}

describe('startScheduler', () => {
  it('starts each check at its due time, not before, in due order', async () => {
    const base = Date.now() + 50;
    const checks = [check('c', base + 90), check('a', base), check('b', base + 40)];
    const source = createSource(checks);
    const started: { id: string; at: number; due: number }[] = [];
    const controller = new AbortController();
    const scheduler = startScheduler(
      options({
        claim: source.claim,
        signal: controller.signal,
        run: async (c, at) => {
          started.push({ id: c.monitorId, at, due: c.dueAt });
        },
      }),
    );
    while (started.length < 3) await sleep(10);
    controller.abort();
    await scheduler.done;
    expect(started.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    // A timer may round to the millisecond below the wall clock: allow 2 ms.
    for (const s of started) expect(s.at).toBeGreaterThanOrEqual(s.due - 2);
  });

  it('never runs more than `concurrency` checks at once', async () => {
    const base = Date.now() + 30;
    const source = createSource(Array.from({ length: 20 }, (_, i) => check(`m${i}`, base)));
    let running = 0;
    let peak = 0;
    let finished = 0;
    const controller = new AbortController();
    const scheduler = startScheduler(
      options({
        concurrency: 3,
        claim: source.claim,
        signal: controller.signal,
        run: async () => {
          peak = Math.max(peak, ++running);
          await sleep(15);
          running--;
          finished++;
        },
      }),
    );
    while (finished < 20) await sleep(10);
    controller.abort();
    await scheduler.done;
    expect(peak).toBe(3);
  });

  it('claims no more than it may hold', async () => {
    const base = Date.now() + 200;
    const source = createSource(Array.from({ length: 50 }, (_, i) => check(`m${i}`, base)));
    const controller = new AbortController();
    const scheduler = startScheduler(
      options({
        maxPending: 8,
        lookaheadMs: 1_000,
        claim: source.claim,
        signal: controller.signal,
        run: async () => {},
      }),
    );
    await sleep(60);
    expect(scheduler.pending).toBe(8);
    expect(source.limits.slice(1).every((l) => l === 0)).toBe(true);
    controller.abort();
    await scheduler.done;
  });

  it('stops on abort: nothing new starts, and done waits for running checks and an in-flight claim', async () => {
    const base = Date.now() + 20;
    const source = createSource([check('slow', base), check('later', base + 300)]);
    const events: string[] = [];
    const controller = new AbortController();
    let claimsInFlight = 0;
    const scheduler = startScheduler(
      options({
        claim: async (horizon, limit) => {
          claimsInFlight++;
          const claimed = await source.claim(horizon, limit);
          await sleep(5);
          claimsInFlight--;
          return claimed;
        },
        signal: controller.signal,
        run: async (c) => {
          events.push(`start ${c.monitorId}`);
          await sleep(80);
          events.push(`end ${c.monitorId}`);
        },
      }),
    );
    while (!events.length) await sleep(5);
    controller.abort();
    await scheduler.done;
    events.push('done');
    expect(claimsInFlight).toBe(0);
    await sleep(350);
    expect(events).toEqual(['start slow', 'end slow', 'done']);
  });
});

describe('startScheduler under a backlog', () => {
  it('claims again at once when a claim filled all the room, instead of waiting a poll', async () => {
    const due = Date.now() - 1_000;
    const source = createSource(Array.from({ length: 30 }, (_, i) => check(`m${i}`, due)));
    const controller = new AbortController();
    let ran = 0;
    const scheduler = startScheduler(
      options({
        claim: source.claim,
        signal: controller.signal,
        // One poll per minute: only immediate re-claims can take all 30 checks within the test.
        pollMs: 60_000,
        maxPending: 10,
        concurrency: 10,
        run: async () => {
          ran++;
        },
      }),
    );
    const deadline = Date.now() + 5_000;
    while (ran < 30 && Date.now() < deadline) await sleep(10);
    controller.abort();
    await scheduler.done;
    expect(ran).toBe(30);
    expect(source.limits.length).toBeGreaterThanOrEqual(3);
  });
});
