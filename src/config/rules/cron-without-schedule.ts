import { entries } from '../raw.js';
import { defineRule } from './rule.js';

export const cronWithoutSchedule = defineRule({
  code: 'config/cron-without-schedule',
  check({ config, report }) {
    for (const [name, svc] of entries(config.services))
      if (svc.kind === 'cron' && svc.schedule === undefined)
        report({
          severity: 'warning',
          message: `cron service ${name} has no schedule`,
          hint: 'add schedule: "*/15 * * * *"',
          path: ['services', name],
          key: true,
        });
  },
});
