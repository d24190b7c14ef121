/**
 * The time the monitor engine and its scheduler see: what time it is and when to wake up. Injected so tests of the
 * engine's logic (due order, catching up, falling behind) move time themselves instead of sleeping on the wall clock.
 */
export interface Clock {
  /** Epoch ms. */
  now(): number;
  /** Calls `fn` once, `ms` from now; the returned handle cancels it. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | undefined): void;
}

/** Opaque: only the clock that made it can cancel it. */
export type ClockTimer = { readonly __clockTimer: true };

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as ClockTimer,
  clearTimeout: (timer) => clearTimeout(timer as unknown as NodeJS.Timeout | undefined),
};

/** Calls `fn` every `ms` on `clock` until the returned function is called. */
export function every(clock: Clock, ms: number, fn: () => void): () => void {
  let timer: ClockTimer | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    timer = clock.setTimeout(tick, ms);
    fn();
  };
  timer = clock.setTimeout(tick, ms);
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
