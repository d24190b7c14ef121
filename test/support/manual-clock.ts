/**
 * A clock the test moves: timers fire in time order as `advance` passes them, with pending promise chains (and
 * loopback I/O) let run between timers, so the engine's logic is tested without sleeping on the wall clock.
 */
import type { Clock, ClockTimer } from '../../src/timing/index.js';

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer due on the way at its own time. */
  advance(ms: number): Promise<void>;
  /** Jumps time forward without firing timers on the way (a stalled process), then fires what is due. */
  jump(ms: number): Promise<void>;
  /** Lets pending promise chains run without moving time. */
  settle(): Promise<void>;
}

export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let time = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  const next = (until: number) => {
    let found: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of timers)
      if (entry[1].at <= until && (!found || entry[1].at < found[1].at)) found = entry;
    return found;
  };
  const runUntil = async (until: number) => {
    for (;;) {
      await settle();
      const due = next(until);
      if (!due) break;
      timers.delete(due[0]);
      time = Math.max(time, due[1].at);
      due[1].fn();
    }
    time = Math.max(time, until);
    await settle();
  };
  return {
    now: () => time,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: time + Math.max(0, ms), fn });
      return { id } as unknown as ClockTimer;
    },
    clearTimeout(timer) {
      if (timer) timers.delete((timer as unknown as { id: number }).id);
    },
    advance: (ms) => runUntil(time + ms),
    async jump(ms) {
      time += ms;
      await runUntil(time);
    },
    settle,
  };
}
