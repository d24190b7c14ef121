// A clock that moves only when the test says so: timers fire in due order as `advance` passes their time.
import type { Clock, ClockTimer } from '../../src/timing/index.js';

export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing each timer that falls due on the way at its own time, and letting the
   * work each one starts (promises, I/O callbacks) run before the next fires.
   */
  advance(ms: number): Promise<void>;
  /** Timers set and not yet fired or cleared. */
  pending(): number;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets the callbacks that are ready run: promise chains and already completed I/O, not wall-clock timers. */
export const settle = async (rounds = 10) => {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export function manualClock(start: number): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<ClockTimer, Entry>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { __clockTimer: true } as ClockTimer;
      timers.set(timer, { at: now + Math.max(0, ms), seq: seq++, fn });
      return timer;
    },
    clearTimeout(timer) {
      if (timer) timers.delete(timer);
    },
    pending: () => timers.size,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()]
          .filter(([, e]) => e.at <= end)
          .sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
      await settle();
    },
  };
}
