import { arr, durationMs, obj, str } from '../raw.js';
import { defineRule } from './rule.js';

/**
 * An SLO or alert window longer than the history kept: the day rollups are the longest-kept history, so a 30-day
 * SLO over 7 days of them was worked out over 7 days while saying 30, and its budget looked 4 times larger.
 */
export const windowOutlivesHistory = defineRule({
  code: 'config/window-outlives-history',
  check({ config, report }) {
    const retention = obj(obj(config.monitoring).retention);
    const kept = durationMs(retention.day, '400d');
    if (kept === undefined) return;
    const keptText = str(retention.day) ?? '400d';
    const check = (what: string, window: unknown, fallback: string, path: (string | number)[]) => {
      const ms = durationMs(window, fallback);
      if (ms === undefined || ms <= kept) return;
      report({
        severity: 'error',
        message: `the window of ${what} is ${str(window) ?? fallback}, but the monitor history is kept ${keptText} (monitoring.retention.day): it would be worked out over ${keptText} while saying ${str(window) ?? fallback}`,
        hint: `shorten the window to ${keptText} or less, or keep the history longer (monitoring.retention.day)`,
        path,
      });
    };
    arr(config.slos).forEach((s, i) => {
      const slo = obj(s);
      check(`SLO '${str(slo.id) ?? `#${i + 1}`}'`, slo.window, '30d', ['slos', i, 'window']);
    });
    arr(config.alerts).forEach((a, i) => {
      const alert = obj(a);
      if (alert.when !== 'error-rate' && alert.when !== 'latency') return;
      if (alert.window === undefined) return;
      check(`alert '${str(alert.id) ?? `#${i + 1}`}'`, alert.window, '5m', ['alerts', i, 'window']);
    });
  },
});
