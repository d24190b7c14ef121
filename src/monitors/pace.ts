/**
 * Whether the engine keeps up: over each window, the share of checks that started late. Late means more than a
 * second or a tenth of the monitor's interval, whichever is longer, after the check was due. An engine that
 * cannot keep up says so instead of silently stretching every interval.
 */
export interface PaceState {
  /** More than 1% of the last window's checks started late. */
  behind: boolean;
  /** The latest start after due time in the last window, ms. */
  worstLagMs: number;
  /** Checks started per second in the last window. */
  checksPerSecond: number;
  lateShare: number;
}

export interface PaceTracker {
  record(lagMs: number, intervalMs: number, at: number): void;
  /** The last complete window's figures; `undefined` until one has passed with checks in it. */
  state(at: number): PaceState | undefined;
}

const LATE_SHARE = 0.01;

export function createPaceTracker(windowMs = 10_000): PaceTracker {
  let windowStart: number | undefined;
  let current = { checks: 0, late: 0, worst: 0 };
  let last: PaceState | undefined;
  const roll = (at: number) => {
    if (windowStart === undefined) windowStart = at;
    if (at - windowStart < windowMs) return;
    const seconds = (at - windowStart) / 1000;
    last = current.checks
      ? {
          behind: current.late / current.checks > LATE_SHARE,
          worstLagMs: current.worst,
          checksPerSecond: current.checks / seconds,
          lateShare: current.late / current.checks,
        }
      : undefined;
    current = { checks: 0, late: 0, worst: 0 };
    windowStart = at;
  };
  return {
    record(lagMs, intervalMs, at) {
      roll(at);
      current.checks++;
      if (lagMs > Math.max(1_000, intervalMs / 10)) current.late++;
      current.worst = Math.max(current.worst, lagMs);
    },
    state(at) {
      roll(at);
      return last;
    },
  };
}
