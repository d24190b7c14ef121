import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts } from './walk.js';

/** Which alert conditions read each threshold field (src/alerts/rules.ts); any other condition ignores it. */
const ALERT_READ_BY: Record<string, readonly string[]> = {
  above: ['error-rate', 'latency', 'certificate'],
  count: ['consecutive-failures'],
  percentile: ['latency'],
  window: ['error-rate', 'latency', 'certificate'],
  minSamples: ['error-rate', 'latency', 'burn-rate'],
  slo: ['burn-rate'],
};

/** SLO fields that only latency SLOs read (src/slo/sli.ts). */
const SLO_LATENCY_ONLY = ['threshold', 'percentile'];

const list = (names: readonly string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');

/**
 * A threshold on a condition that does not read it (`when: down` with `count: 5`) looks applied while the alert
 * fires on its own rule: refused, so the author sees that the alert does not do what the field says.
 */
export const alertOption = defineRule({
  code: 'config/alert-option',
  check({ config, report }) {
    for (const { alert, at } of alerts(config)) {
      if (alert.when === undefined) continue; // the schema reports it
      for (const [field, readers] of Object.entries(ALERT_READ_BY)) {
        if (alert[field] === undefined || readers.includes(String(alert.when))) continue;
        report({
          severity: 'error',
          message: `a '${String(alert.when)}' alert does not read ${field}: only ${list(readers)} alerts do`,
          hint: `remove ${field}, or use the condition that reads it`,
          path: [...at, field],
          key: true,
        });
      }
    }
    arr(config.slos).forEach((s, i) => {
      const slo = obj(s);
      if (slo.indicator === 'latency' || slo.indicator === undefined) return;
      for (const field of SLO_LATENCY_ONLY)
        if (slo[field] !== undefined)
          report({
            severity: 'error',
            message: `${String(slo.indicator)} SLO '${String(slo.id)}' does not read ${field}: only latency SLOs do`,
            hint: `remove ${field}, or make it indicator: latency`,
            path: ['slos', i, field],
            key: true,
          });
    });
  },
});
