/** A SQL function the SQLite driver registers on every connection, for what SQLite's own SQL does slowly. */

export const MERGE_BINS = 'opsbook_merge_bins';

/**
 * Two rollup sketches' bins maps (JSON objects of counts, either may be NULL) summed per key, as JSON. A monitor
 * engine upserts three rollup rows per check; merging their sketches in SQL (json_each twice, GROUP BY,
 * json_group_object) made a check cost the SQLite store ~530 us; with this function, ~490 us.
 */
export function mergeBins(a: unknown, b: unknown): string {
  const sum: Record<string, number> = typeof a === 'string' ? JSON.parse(a) : {};
  if (typeof b === 'string')
    for (const [key, n] of Object.entries(JSON.parse(b) as Record<string, number>))
      sum[key] = (sum[key] ?? 0) + n;
  return JSON.stringify(sum);
}
