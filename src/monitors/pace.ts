/**
 * Whether the engine keeps up: over each window, the share of due checks that started late or never ran. Late
 * means more than a second or a tenth of the monitor's interval, whichever is longer, after the check was due; a
 * slot is skipped when a check outlasted its interval. An engine that cannot keep up says so instead of silently
 * stretching every interval, and a window in which nothing started while checks waited past their due time is
 * a stall, not a window without figures.
 */
import { formatMs } from '../timing/index.js';

export interface PaceState {
  /** More than 1% of the last window's due checks started late or were skipped. */
  behind: boolean;
  /** The latest start after due time in the last window (or the wait of the oldest check not started), ms. */
  worstLagMs: number;
  /** Checks started per second in the last window. */
  checksPerSecond: number;
  /** Share of the window's due checks that started late or were skipped. */
  lateShare: number;
  /** Slots skipped in the window because a check of the monitor outlasted its interval. */
  skipped: number;
}

export interface PaceTracker {
  /** A check started `lagMs` after it was due. */
  record(lagMs: number, intervalMs: number, at: number): void;
  /** `slots` due times passed while a check of the monitor was still running: they never ran. */
  skip(slots: number, at: number): void;
  /** The last complete window's figures; `undefined` until one has passed with checks due in it. */
  state(at: number): PaceState | undefined;
}

const LATE_SHARE = 0.01;

/** `waitingSince`: the due time of the oldest check that is due and has not started (undefined: none waits). */
export function createPaceTracker(
  windowMs = 10_000,
  waitingSince: () => number | undefined = () => undefined,
): PaceTracker {
  let windowStart: number | undefined;
  let current = { checks: 0, late: 0, worst: 0, skipped: 0 };
  let last: PaceState | undefined;
  const roll = (at: number) => {
    if (windowStart === undefined) windowStart = at;
    if (at - windowStart < windowMs) return;
    const seconds = (at - windowStart) / 1000;
    const waiting = waitingSince();
    const waitedMs = waiting === undefined ? 0 : Math.max(0, at - waiting);
    // A check still waiting for a slot over a second after its due time is late too, started or not: without it,
    // a window in which every slot is held by checks that do not end would have no figures at all.
    const stuck = waitedMs > 1_000 ? 1 : 0;
    const due = current.checks + current.skipped + stuck;
    const missed = current.late + current.skipped + stuck;
    last = due
      ? {
          behind: missed / due > LATE_SHARE,
          worstLagMs: Math.max(current.worst, waitedMs),
          checksPerSecond: current.checks / seconds,
          lateShare: missed / due,
          skipped: current.skipped,
        }
      : undefined;
    current = { checks: 0, late: 0, worst: 0, skipped: 0 };
    windowStart = at;
  };
  return {
    record(lagMs, intervalMs, at) {
      roll(at);
      current.checks++;
      if (lagMs > Math.max(1_000, intervalMs / 10)) current.late++;
      current.worst = Math.max(current.worst, lagMs);
    },
    skip(slots, at) {
      roll(at);
      current.skipped += slots;
    },
    state(at) {
      roll(at);
      return last;
    },
  };
}

/** How a window that is behind reads, for the log line. */
export function describeLateness(pace: Pick<PaceState, 'lateShare' | 'worstLagMs' | 'skipped'>): string {
  const share = `${(pace.lateShare * 100).toFixed(1)}%`;
  return pace.skipped
    ? `${share} of due checks started late or never ran (up to ${formatMs(pace.worstLagMs)}; ${pace.skipped} slot(s) skipped: a check ran past its next due time)`
    : `${share} of checks started late (up to ${formatMs(pace.worstLagMs)})`;
}
