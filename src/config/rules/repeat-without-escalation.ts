/**
 * `incidents.repeat` runs the escalation steps again while nobody acknowledges: with no step, there is nothing to
 * repeat, and a team that wrote it believes unacknowledged incidents are chased when nobody is ever paged.
 */
import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const repeatWithoutEscalation = defineRule({
  code: 'config/repeat-without-escalation',
  check({ config, report }) {
    const incidents = obj(config.incidents);
    if (incidents.repeat === undefined || arr(incidents.escalation).length) return;
    report({
      severity: 'warning',
      message:
        'incidents.repeat starts the escalation over while nobody acknowledges, but there is no escalation step: nobody is paged, the first time or again',
      hint: 'add incidents.escalation steps (e.g. - { level: 1, after: 0m, notify: [primary] }), or remove repeat',
      path: ['incidents', 'repeat'],
    });
  },
});
