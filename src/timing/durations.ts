/**
 * How a span of time is written for people, one format per purpose, so the same span reads the same
 * everywhere it means the same thing.
 */

/** A measured time (a latency, a timeout, how long work took): "230 ms", "1.5s", "2.5m", "3h", "1.5d". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(1))}m`;
  if (ms < 86_400_000) return `${Number((ms / 3_600_000).toFixed(1))}h`;
  return `${Number((ms / 86_400_000).toFixed(1))}d`;
}

/** A deploy's elapsed time in an announcement or the deployment log, to the second: "45s", "2m 5s". */
export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** A span in an incident's or alert's prose (a target, a time to acknowledge, how long it fired), rounded to the unit that matters: "45s", "15m", "2.5h". */
export function formatRoughly(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

/** A configured span written back as the config writes it (`parseDuration`'s inverse): "90s", "5m", "1h", "7d". */
export function formatSpan(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
