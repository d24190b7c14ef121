/** The alert rules' view of `store.monitoring`: the SLO window reader plus each monitor's newest samples. */
import { createMonitorHistory } from '../slo/index.js';
import type { MonitoringStore } from '../store/index.js';
import type { AlertSignals } from './measure.js';

type History = Pick<MonitoringStore, 'uptime' | 'latencyQuantiles' | 'samples' | 'listMonitors'>;

const END_OF_TIME = Date.parse('9999-12-31T00:00:00.000Z');

export function createMonitorSignals(monitoring: History, environment: string): AlertSignals {
  const history = createMonitorHistory(monitoring, environment);
  return {
    window: (service, fromMs, toMs) => history.window(service, fromMs, toMs),
    async recent(service, limit) {
      const monitors = await monitoring.listMonitors({ environment, service });
      return Promise.all(
        monitors.map(async (m) => {
          const samples = await monitoring.samples({ monitor: m.id }, 0, END_OF_TIME, {
            order: 'desc',
            limit,
          });
          return {
            monitor: m.name,
            samples: samples.map((s) => ({
              at: Date.parse(s.at),
              outcome: s.outcome,
              latencyMs: s.latencyMs,
              ...(s.message ? { reason: s.message } : s.status ? { reason: `HTTP ${s.status}` } : {}),
            })),
          };
        }),
      );
    },
  };
}
