/**
 * The time that the loops of `opsbook serve` see (scheduled jobs, alert evaluation, incident escalation, the monitor
 * engine and its scheduler): what time it is and when to wake up. Injected so tests of their logic move time
 * themselves instead of sleeping on the wall clock.
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

export interface Pause {
  /** Resolves `ms` after the pause began on its clock, when the signal aborts, or when woken. */
  done: Promise<void>;
  /** Ends the pause now: new work arrived. */
  wake(): void;
}

/** The wait between two rounds of a loop: `ms` on `clock`, cut short by `signal` or by `wake()`. */
export function pause(clock: Clock, ms: number, signal: AbortSignal): Pause {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = clock.setTimeout(end, ms);
    function end() {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', end);
      resolve();
    }
    wake = end;
    if (signal.aborted) end();
    else signal.addEventListener('abort', end, { once: true });
  });
  return { done, wake };
}

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
