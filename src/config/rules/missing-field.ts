import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts } from './walk.js';

/** The fields each kind of alert needs, with an example value for the hint. */
const ALERT_FIELDS: Record<string, [field: string, example: string][]> = {
  'error-rate': [
    ['above', '5%'],
    ['window', '5m'],
  ],
  latency: [
    ['above', '2s'],
    ['window', '5m'],
  ],
  'consecutive-failures': [['count', '3']],
};

export const missingField = defineRule({
  code: 'config/missing-field',
  check({ config, names, report }) {
    arr(config.slos).forEach((s, i) => {
      const slo = obj(s);
      if (slo.indicator === 'latency' && slo.threshold === undefined)
        report({
          severity: 'error',
          message: `latency SLO '${String(slo.id)}' needs a threshold`,
          hint: 'add threshold: 500ms (and percentile: 95)',
          path: ['slos', i],
          key: true,
        });
    });
    for (const { alert, at } of alerts(config)) {
      const needs =
        alert.when === 'burn-rate'
          ? [['slo', names.slos[0] ?? 'api-availability'] as [string, string]]
          : (ALERT_FIELDS[String(alert.when)] ?? []);
      for (const [field, example] of needs)
        if (alert[field] === undefined)
          report({
            severity: 'error',
            message: `a '${String(alert.when)}' alert needs '${field}'`,
            hint: `add ${field}: ${example}`,
            path: at,
            key: true,
          });
    }
  },
});
