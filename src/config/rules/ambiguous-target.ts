import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

/** An escalation target must name exactly one thing: a contact, a schedule or a channel. */
export const ambiguousTarget = defineRule({
  code: 'config/ambiguous-target',
  check({ config, names, report }) {
    const incidents = obj(config.incidents);
    const kinds = [names.contacts, Object.keys(obj(incidents.schedules)), names.channels];
    arr(incidents.escalation).forEach((e, i) =>
      arr(obj(e).notify).forEach((n, j) => {
        if (kinds.filter((list) => list.includes(String(n))).length > 1)
          report({
            severity: 'error',
            message: `'${String(n)}' names more than one of a contact, a schedule and a channel`,
            hint: 'rename one of them so each escalation target is unambiguous',
            path: ['incidents', 'escalation', i, 'notify', j],
          });
      }),
    );
  },
});
