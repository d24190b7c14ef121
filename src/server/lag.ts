/**
 * Schedule lag of this instance's checks for /metrics: a Prometheus summary, with quantiles over the
 * recent checks (a sliding window) and a cumulative sum and count.
 */

export interface LagSnapshot {
  /** [quantile, seconds]; seconds is null when no check ran within the window. */
  quantiles: [number, number | null][];
  sumSeconds: number;
  count: number;
}

export interface LagTracker {
  record(lagMs: number, at?: number): void;
  snapshot(now?: number): LagSnapshot;
}

export const LAG_QUANTILES = [0.5, 0.9, 0.99] as const;

/** Keeps at most `capacity` recent lags (a ring), so memory stays flat with 10,000 monitors. */
export function createLagTracker(options: { windowMs?: number; capacity?: number } = {}): LagTracker {
  const windowMs = options.windowMs ?? 300_000;
  const capacity = options.capacity ?? 4_096;
  const lags = new Float64Array(capacity);
  const times = new Float64Array(capacity);
  let next = 0;
  let filled = 0;
  let sumMs = 0;
  let count = 0;
  return {
    record(lagMs, at = Date.now()) {
      lags[next] = lagMs;
      times[next] = at;
      next = (next + 1) % capacity;
      filled = Math.min(filled + 1, capacity);
      sumMs += lagMs;
      count++;
    },
    snapshot(now = Date.now()) {
      const recent: number[] = [];
      for (let i = 0; i < filled; i++) if (times[i]! > now - windowMs) recent.push(lags[i]!);
      recent.sort((a, b) => a - b);
      const at = (q: number) =>
        recent.length ? recent[Math.min(recent.length - 1, Math.floor(q * recent.length))]! / 1000 : null;
      return { quantiles: LAG_QUANTILES.map((q) => [q, at(q)]), sumSeconds: sumMs / 1000, count };
    },
  };
}
