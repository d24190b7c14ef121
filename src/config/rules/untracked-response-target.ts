/**
 * `respondWithin: next-business-day` is accepted but no breach is tracked (opsbook has no business calendar), so
 * validate says so. A severity without `respondWithin` is fine: it simply has no response target.
 */
import { entries, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const untrackedResponseTarget = defineRule({
  code: 'config/untracked-response-target',
  check({ config, report }) {
    for (const [severity, s] of entries(obj(config.incidents).severities))
      if (s.respondWithin === 'next-business-day')
        report({
          severity: 'warning',
          message: `severity ${severity}: respondWithin next-business-day is accepted but not tracked: opsbook has no business calendar, so a missed target is never notified`,
          hint: 'give a duration such as 24h to be told of a breach, or leave respondWithin out (no response target)',
          path: ['incidents', 'severities', severity, 'respondWithin'],
        });
  },
});
