import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const unknownContact = defineRule({
  code: 'config/unknown-contact',
  check({ config, names, reference }) {
    arr(obj(config.incidents).escalation).forEach((e, i) =>
      arr(obj(e).notify).forEach((n, j) =>
        reference('contact', names.contacts, n, ['incidents', 'escalation', i, 'notify', j]),
      ),
    );
  },
});
