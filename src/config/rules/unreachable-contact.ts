import { arr, entries, obj, str } from '../raw.js';
import { defineRule } from './rule.js';

/** A contact an escalation (or a schedule's layer or override) pages needs a channel; an email channel needs their address. */
export const unreachableContact = defineRule({
  code: 'config/unreachable-contact',
  check({ config, names, report }) {
    const incidents = obj(config.incidents);
    const contacts = obj(incidents.contacts);
    const channels = obj(config.channels);
    const paged = new Set<string>();
    for (const e of arr(incidents.escalation)) for (const n of arr(obj(e).notify)) paged.add(String(n));
    for (const [id, s] of entries(incidents.schedules))
      if (paged.has(id)) {
        for (const l of arr(s.layers)) for (const p of arr(obj(l).participants)) paged.add(String(p));
        // An override puts its contact on call as surely as a layer does.
        for (const o of arr(s.overrides)) paged.add(String(obj(o).contact));
      }
    for (const [name, c] of entries(contacts)) {
      if (!paged.has(name)) continue;
      if (c.channel === undefined)
        report({
          severity: 'warning',
          message: `contact '${name}' is paged by the escalation but has no channel to reach them`,
          hint: `give the contact a channel, e.g. channel: ${names.channels[0] ?? 'email'}`,
          path: ['incidents', 'contacts', name],
          key: true,
        });
      else if (
        obj(channels[str(c.channel) ?? '']).type === 'email' &&
        !/^[^\s@[\]]+@[^\s@]+\.[^\s@]+$/.test(String(c.email ?? ''))
      )
        report({
          severity: 'error',
          message: `contact '${name}' is reached by email but has no address${c.email === undefined ? '' : ` ('${String(c.email)}' is not one)`}`,
          hint: 'give the address, e.g. email: oncall@example.com',
          path: ['incidents', 'contacts', name, c.email === undefined ? 'channel' : 'email'],
        });
    }
  },
});
