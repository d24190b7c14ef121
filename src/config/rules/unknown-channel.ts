import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts } from './walk.js';

export const unknownChannel = defineRule({
  code: 'config/unknown-channel',
  check({ config, names, reference }) {
    const ref = (name: unknown, path: readonly PropertyKey[]) =>
      reference('channel', names.channels, name, path);
    arr(obj(config.announcements).channels).forEach((c, i) => ref(c, ['announcements', 'channels', i]));
    arr(config.maintenance).forEach((t, i) =>
      arr(obj(t).channels).forEach((c, j) => ref(c, ['maintenance', i, 'channels', j])),
    );
    for (const { alert, at } of alerts(config))
      arr(alert.channels).forEach((c, j) => ref(c, [...at, 'channels', j]));
    const incidents = obj(config.incidents);
    for (const [severity, s] of entries(incidents.severities))
      arr(s.channels).forEach((c, j) => ref(c, ['incidents', 'severities', severity, 'channels', j]));
    for (const [contact, c] of entries(incidents.contacts))
      if (c.channel !== undefined) ref(c.channel, ['incidents', 'contacts', contact, 'channel']);
  },
});
