/**
 * A severity's channels are where its incidents' missed response targets, and "nobody is on call", are told. A
 * severity with a target and no channel writes the miss on the incident's timeline and tells nobody.
 */
import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const unheardTarget = defineRule({
  code: 'config/unheard-target',
  check({ config, names, report }) {
    for (const [severity, s] of entries(obj(config.incidents).severities)) {
      const targets = (['respondWithin', 'resolveWithin'] as const).filter(
        // next-business-day is never tracked at all (config/untracked-response-target says so).
        (k) => s[k] !== undefined && s[k] !== 'next-business-day',
      );
      if (!targets.length || arr(s.channels).length) continue;
      report({
        severity: 'warning',
        message: `severity ${severity}: a missed ${targets.join(' or ')} target is told to nobody, as is nobody being on call: the severity lists no channels, so it is only written on the incident's timeline`,
        hint: `give the severity channels, e.g. channels: [${names.channels[0] ?? 'ops'}]`,
        path: ['incidents', 'severities', severity, targets[0]!],
      });
    }
  },
});
