import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

/** A maintenance window starts either on a schedule or once: with both or neither, when it is open is unknown. */
export const windowTiming = defineRule({
  code: 'config/window-timing',
  check({ config, report }) {
    arr(config.maintenanceWindows).forEach((w, i) => {
      const window = obj(w);
      const both = window.every !== undefined && window.start !== undefined;
      if (both || (window.every === undefined && window.start === undefined))
        report({
          severity: 'error',
          message: `maintenance window '${String(window.id ?? i)}' ${both ? 'has both every: and start:' : 'has no every: or start:'}`,
          hint: 'give every: (a recurring window, e.g. "0 3 * * 0") or start: (a one-off, e.g. 2030-01-05T03:00:00Z), not both',
          path: ['maintenanceWindows', i],
        });
    });
  },
});
