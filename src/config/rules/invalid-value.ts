import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts } from './walk.js';

/** Alert thresholds of the wrong kind, on-call overrides that end before they start (enums: the schema, same code). */
export const invalidValue = defineRule({
  code: 'config/invalid-value',
  check({ config, report }) {
    for (const { alert, at } of alerts(config)) {
      if (alert.when === 'error-rate' && typeof alert.above === 'string' && !alert.above.endsWith('%'))
        report({
          severity: 'error',
          message: 'an error-rate threshold is a percentage',
          hint: 'write above: 5%',
          path: [...at, 'above'],
        });
      if (alert.when === 'latency' && (typeof alert.above === 'number' || String(alert.above).endsWith('%')))
        report({
          severity: 'error',
          message: 'a latency threshold is a duration',
          hint: 'write above: 2s',
          path: [...at, 'above'],
        });
      // The engine's pace is not a service's: a service here would look like it scopes the alert, and does not.
      if (alert.when === 'falling-behind' && alert.service !== undefined)
        report({
          severity: 'error',
          message: "a falling-behind alert watches opsbook's own monitor engine, not a service",
          hint: 'remove service (its notifications carry service=opsbook)',
          path: [...at, 'service'],
        });
    }
    // An override that ends before it starts never puts anyone on call, and nothing said so.
    for (const [id, schedule] of entries(obj(config.incidents).schedules))
      arr(schedule.overrides).forEach((o, i) => {
        const { start, end } = obj(o);
        if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) <= Date.parse(start))
          report({
            severity: 'error',
            message: `this override of schedule '${id}' ends (${end}) before it starts (${start}): it never puts ${String(obj(o).contact)} on call`,
            hint: 'swap start and end, or correct the dates',
            path: ['incidents', 'schedules', id, 'overrides', i, 'end'],
          });
      });
  },
});
