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
  check({ config, report, reference }) {
    const backups = arr(config.backups).map(obj);
    const own = backups.filter((b) => b.managed !== true).map((b) => String(b.id));
    arr(config.maintenance).forEach((t, i) => {
      const task = obj(t);
      // A drill of a backup that is not there, or that the platform takes, can never run: the task could never pass.
      if (task.check === 'backup-drill') {
        const named = typeof task.backup === 'string' ? task.backup : undefined;
        if (named !== undefined && !own.includes(named)) {
          if (backups.some((b) => b.id === named))
            report({
              severity: 'error',
              message: `maintenance task '${String(task.id ?? i)}' drills backup '${named}', which the platform takes: opsbook has no archive of it to restore`,
              hint: own.length
                ? `name one opsbook takes: ${own.join(', ')}`
                : 'drill it on the platform and record it with a checklist task instead',
              path: ['maintenance', i, 'backup'],
            });
          else reference('backup', own, named, ['maintenance', i, 'backup']);
        } else if (named === undefined && own.length !== 1)
          report({
            severity: 'error',
            message: own.length
              ? `maintenance task '${String(task.id ?? i)}' runs a backup drill, and ${own.length} backups are configured: which one?`
              : `maintenance task '${String(task.id ?? i)}' runs a backup drill, but no backups: entry is taken by opsbook`,
            hint: own.length
              ? `add backup: one of ${own.join(', ')}`
              : 'add a backups: entry with a destination, or remove the task',
            path: ['maintenance', i],
          });
      }
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
