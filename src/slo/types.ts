/** What SLOs (and the alert rules) read from the monitor history: counts and latency over a time window. */

/** The latency of the checks that answered (up or degraded) in a window; read lazily, only what a rule needs. */
export interface LatencyDistribution {
  count: number;
  /** The q-quantile (0..1) in ms; undefined when empty. */
  quantile(q: number): Promise<number | undefined>;
  /** How many answered checks took at most `ms` (exact, or within the latency sketch's 1%). */
  countAtMost(ms: number): Promise<number>;
}

export interface WindowStats {
  /** Checks that ran in the window. */
  total: number;
  /** Checks that failed (outcome down). */
  failed: number;
  latency: LatencyDistribution;
}

/** Reads a service's checks that ran in (fromMs, toMs]: a window ending now includes a check made now. */
export interface HistoryReader {
  window(service: string, fromMs: number, toMs: number): Promise<WindowStats>;
}

/** One multiwindow burn-rate pair: both windows must burn faster than `factor` times the budget. */
export interface BurnWindow {
  factor: number;
  longMs: number;
  shortMs: number;
}
