/**
 * The SLOs' (and alert rules') window reader over `store.monitoring`: counts from its uptime query,
 * latency from its merged sketches, read only when a rule or SLO needs it.
 */
import type { MonitoringStore, MonitorSelector } from '../store/index.js';
import type { HistoryReader } from './types.js';

/** Ranks probed per query while searching for a threshold's rank: 86,400 checks take three queries. */
const PROBES_PER_QUERY = 256;

export function createMonitorHistory(
  monitoring: Pick<MonitoringStore, 'uptime' | 'latencyQuantiles'>,
  environment: string,
): HistoryReader {
  return {
    async window(service, fromMs, toMs) {
      const selector: MonitorSelector = { service, environment };
      // The store's windows are [from, to); ours include a check made at `to`.
      const [from, to] = [fromMs + 1, toMs + 1];
      const [counts, latency] = await Promise.all([
        monitoring.uptime(selector, from, to),
        monitoring.latencyQuantiles(selector, from, to, []),
      ]);
      const n = latency.count;
      const quantiles = async (qs: number[]) =>
        (await monitoring.latencyQuantiles(selector, from, to, qs)).quantiles.map((x) => x.ms);
      // The sketch answers q with the value of rank q·(n−1); half a rank up lands inside rank r.
      const valuesAt = async (ranks: number[]) =>
        (await quantiles(ranks.map((r) => (n <= 1 ? 0 : Math.min(1, (r + 0.5) / (n - 1)))))).map(
          (ms) => ms ?? Number.POSITIVE_INFINITY,
        );
      return {
        total: counts.total,
        failed: counts.down,
        latency: {
          count: n,
          quantile: async (q) => (n ? ((await quantiles([q]))[0] ?? undefined) : undefined),
          countAtMost: (ms) => rankOf(ms, n, valuesAt),
        },
      };
    },
  };
}

/**
 * How many of n sorted values are at most `ms`: the first rank whose value exceeds it, found by probing
 * evenly spaced ranks and narrowing to the gap that crosses the threshold.
 */
export async function rankOf(
  ms: number,
  n: number,
  valuesAt: (ranks: number[]) => Promise<number[]>,
): Promise<number> {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const step = Math.max(1, Math.ceil((hi - lo) / PROBES_PER_QUERY));
    const ranks: number[] = [];
    for (let r = lo; r < hi; r += step) ranks.push(r);
    const values = await valuesAt(ranks);
    const first = values.findIndex((v) => v > ms);
    if (first === -1) lo = ranks[ranks.length - 1]! + 1;
    else {
      hi = ranks[first]!;
      if (first > 0) lo = ranks[first - 1]! + 1;
    }
  }
  return lo;
}
