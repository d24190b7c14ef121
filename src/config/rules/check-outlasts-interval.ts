import { arr, durationMs, entries, isObj, obj } from '../raw.js';
import { defineRule } from './rule.js';

/**
 * A check that can take as long as its interval (a hung endpoint waits out the timeout on every attempt) starts its
 * next one late: the engine then reports itself falling behind and advises more instances, when the fix is a
 * shorter timeout, fewer retries or a longer interval for that one endpoint.
 */
export const checkOutlastsInterval = defineRule({
  code: 'config/check-outlasts-interval',
  check({ config, report }) {
    const monitoring = obj(config.monitoring);
    const retries = typeof monitoring.retries === 'number' ? monitoring.retries : 1;
    for (const [name, svc] of entries(config.services))
      arr(svc.health).forEach((h, i) => {
        if (!isObj(h)) return;
        const interval = durationMs(h.interval ?? monitoring.interval, '1m');
        const timeout = durationMs(h.timeout ?? monitoring.timeout, '10s');
        if (interval === undefined || timeout === undefined || timeout * (retries + 1) < interval) return;
        const label = typeof h.name === 'string' ? h.name : typeof h.type === 'string' ? h.type : `#${i + 1}`;
        report({
          severity: 'warning',
          message: `a check of ${name}'s ${label} endpoint can take ${(timeout * (retries + 1)) / 1000}s (${retries + 1} attempt(s) of up to ${timeout / 1000}s), as long as its ${interval / 1000}s interval: when the endpoint hangs, its checks start late and the monitor engine reports falling behind`,
          hint: 'give the endpoint a shorter timeout:, lower monitoring.retries, or a longer interval:',
          path: ['services', name, 'health', i],
        });
      });
  },
});
