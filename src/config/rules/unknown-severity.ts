import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts } from './walk.js';

export const unknownSeverity = defineRule({
  code: 'config/unknown-severity',
  check({ config, names, reference }) {
    const ref = (name: unknown, path: readonly PropertyKey[]) =>
      reference('severity', names.severities, name, path);
    // An alert's severity is free text until incidents declare the severities.
    if (names.severities.length)
      for (const { alert, at } of alerts(config))
        if (alert.severity !== undefined) ref(alert.severity, [...at, 'severity']);
    const incidents = obj(config.incidents);
    arr(incidents.escalation).forEach((e, i) =>
      arr(obj(e).severities).forEach((s, j) => ref(s, ['incidents', 'escalation', i, 'severities', j])),
    );
    arr(obj(incidents.postmortem).requiredFor).forEach((s, j) =>
      ref(s, ['incidents', 'postmortem', 'requiredFor', j]),
    );
  },
});
