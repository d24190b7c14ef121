import { arr, isObj, obj } from '../raw.js';
import { defineRule } from './rule.js';

const RULES = ['days', 'keep', 'daily', 'weekly', 'monthly'] as const;

/**
 * A retention without one rule above 0 (`retention: {}`, `daily: 0`) keeps only the newest backup and the last
 * verified one, and `backup run` prunes after each success: every older backup would be deleted without a word.
 */
export const backupRetention = defineRule({
  code: 'config/backup-retention',
  check({ config, report }) {
    arr(config.backups).forEach((b, i) => {
      const entry = obj(b);
      if (entry.managed === true || !isObj(entry.retention)) return;
      const retention = entry.retention;
      if (RULES.some((r) => typeof retention[r] === 'number' && retention[r] > 0)) return;
      report({
        severity: 'error',
        message: `backup '${String(entry.id ?? i)}' has a retention that keeps nothing: each backup run would delete every backup but the newest and the last verified`,
        hint: 'give at least one of days, keep, daily, weekly or monthly above 0 (e.g. days: 30), or remove retention for the default of 30 days',
        path: ['backups', i, 'retention'],
        key: true,
      });
    });
  },
});
