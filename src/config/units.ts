/**
 * Durations, percentages and schedule names as opsbook.yaml writes them, without zod: commands whose config comes
 * from the cache read these and never load the schema (primitives.ts builds the zod types on top of them).
 */
export const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * (UNIT_MS[m[2]!] ?? 1);
}

export function parsePercent(value: number | string): number {
  return typeof value === 'number' ? value : Number(value.slice(0, -1));
}

export const NAMED_SCHEDULES = ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
