// Monitor history held in arrays, with exact counts and quantiles: the plain-data input of the alert and SLO tests.

import type { AlertSignals, RecentSample } from '../../../src/alerts/measure.js';
import type { LatencyDistribution } from '../../../src/slo/index.js';

export interface MemorySignals extends AlertSignals {
  record(service: string, monitor: string, sample: RecentSample): void;
}

export function exactDistribution(values: number[]): LatencyDistribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    // The value at rank floor(q·(n−1)), as the store's latency sketch answers.
    quantile: async (q) => (sorted.length ? sorted[Math.floor(q * (sorted.length - 1))] : undefined),
    countAtMost: async (ms) => sorted.filter((v) => v <= ms).length,
  };
}

export function createMemorySignals(): MemorySignals {
  const data = new Map<string, Map<string, RecentSample[]>>();
  const monitorsOf = (service: string) => data.get(service) ?? new Map<string, RecentSample[]>();
  return {
    record(service, monitor, sample) {
      const monitors = data.get(service) ?? new Map<string, RecentSample[]>();
      data.set(service, monitors);
      monitors.set(monitor, [...(monitors.get(monitor) ?? []), sample]);
    },
    async recent(service, limit) {
      return [...monitorsOf(service)].map(([monitor, samples]) => ({
        monitor,
        samples: samples.slice(-limit).reverse(),
      }));
    },
    async window(service, fromMs, toMs) {
      const all = [...monitorsOf(service).values()].flat().filter((s) => s.at > fromMs && s.at <= toMs);
      const answered = all.filter((s) => s.outcome !== 'down');
      return {
        total: all.length,
        failed: all.length - answered.length,
        latency: exactDistribution(answered.map((s) => s.latencyMs)),
      };
    },
  };
}
