/** Good and total events of an SLO's indicator, from a window's check counts and latency distribution. */
import { parseDuration, parsePercent, type Slo } from '../config/index.js';
import type { WindowStats } from './types.js';

export interface SliCounts {
  good: number;
  total: number;
}

/**
 * availability and error-rate: checks that did not fail / all checks (a synthetic check that answers,
 * even degraded, served its request). latency: answered checks at or under the threshold / answered
 * checks, so a failed check counts against availability, not twice.
 */
export async function sliCounts(slo: Slo, stats: WindowStats): Promise<SliCounts> {
  if (slo.indicator === 'latency') {
    const threshold = parseDuration(slo.threshold ?? '500ms');
    return { good: await stats.latency.countAtMost(threshold), total: stats.latency.count };
  }
  return { good: stats.total - stats.failed, total: stats.total };
}

/** The objective as a ratio: 99.5% -> 0.995. */
export const objectiveOf = (slo: Slo): number => parsePercent(slo.objective) / 100;
