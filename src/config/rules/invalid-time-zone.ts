import { scheduleProblem } from '../../schedule/index.js';
import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const invalidTimeZone = defineRule({
  code: 'config/invalid-time-zone',
  check({ config, report }) {
    const check = (zone: unknown, path: (string | number)[]) => {
      if (typeof zone !== 'string') return;
      const problem = scheduleProblem('daily', zone);
      if (problem)
        report({
          severity: 'error',
          message: `'${zone}' is not a time zone: ${problem}`,
          hint: 'use an IANA name such as UTC, Europe/Berlin or America/New_York',
          path,
        });
    };
    arr(config.backups).forEach((b, i) => check(obj(b).timezone, ['backups', i, 'timezone']));
    arr(config.maintenance).forEach((t, i) => check(obj(t).timezone, ['maintenance', i, 'timezone']));
    arr(config.maintenanceWindows).forEach((w, i) =>
      check(obj(w).timezone, ['maintenanceWindows', i, 'timezone']),
    );
    for (const [id, s] of entries(obj(config.incidents).schedules))
      check(s.timeZone, ['incidents', 'schedules', id, 'timeZone']);
  },
});
