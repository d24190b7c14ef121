import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

/** Which built-in checks read each task option; any other task would silently ignore it. */
const READ_BY: Record<string, readonly string[]> = {
  urlEnv: ['postgres-health'],
  backup: ['backup-drill'],
  expiresWithinDays: ['certificates'],
  maxAgeDays: ['secret-age'],
  service: ['certificates', 'secret-age'],
};

/** A threshold set on the wrong check (maxAgeDays on certificates) would look applied while nothing reads it. */
export const taskOption = defineRule({
  code: 'config/task-option',
  check({ config, report }) {
    arr(config.maintenance).forEach((t, i) => {
      const task = obj(t);
      for (const [option, checks] of Object.entries(READ_BY)) {
        if (task[option] === undefined || checks.includes(String(task.check))) continue;
        report({
          severity: 'error',
          message: `maintenance task '${String(task.id ?? i)}' sets ${option}, which only the ${checks.join(' and ')} check${checks.length > 1 ? 's read' : ' reads'}`,
          hint:
            task.check === undefined
              ? `add check: ${checks[0]}, or remove ${option}`
              : `remove ${option}: check ${String(task.check)} does not read it`,
          path: ['maintenance', i, option],
          key: true,
        });
      }
    });
  },
});
