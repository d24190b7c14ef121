import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';

/** Escalation steps name contacts, schedules or channels; schedules name contacts. */
export const unknownContact = defineRule({
  code: 'config/unknown-contact',
  check({ config, names, reference }) {
    const incidents = obj(config.incidents);
    const targets = [...names.contacts, ...Object.keys(obj(incidents.schedules)), ...names.channels];
    arr(incidents.escalation).forEach((e, i) =>
      arr(obj(e).notify).forEach((n, j) =>
        reference('contact, schedule or channel', targets, n, ['incidents', 'escalation', i, 'notify', j]),
      ),
    );
    for (const [id, s] of entries(incidents.schedules)) {
      arr(s.layers).forEach((l, i) =>
        arr(obj(l).participants).forEach((p, j) =>
          reference('contact', names.contacts, p, [
            'incidents',
            'schedules',
            id,
            'layers',
            i,
            'participants',
            j,
          ]),
        ),
      );
      arr(s.overrides).forEach((o, i) =>
        reference('contact', names.contacts, obj(o).contact, [
          'incidents',
          'schedules',
          id,
          'overrides',
          i,
          'contact',
        ]),
      );
    }
  },
});
