import { arr, obj } from '../raw.js';
import { MAINTENANCE_CHECKS } from '../schema-operations.js';
import { defineRule } from './rule.js';

/** A task with no check, no command and no checklist leaves nothing to run and nothing to confirm. */
export const emptyTask = defineRule({
  code: 'config/empty-task',
  check({ config, report }) {
    arr(config.maintenance).forEach((t, i) => {
      const task = obj(t);
      if (task.check === undefined && task.run === undefined && task.checklist === undefined)
        report({
          severity: 'error',
          message: `maintenance task '${String(task.id ?? i)}' has nothing to do`,
          hint: `give it check: (${MAINTENANCE_CHECKS.join(', ')}), run: a command, or checklist: steps for a person`,
          path: ['maintenance', i],
        });
    });
  },
});
