/**
 * An alert that reaches nobody fires in silence. Its channels are its own, else its severity's, else every
 * declared channel (alerts/rules.ts); a severity whose escalation has steps reaches people through the
 * incident it opens. With none of these, say so: a warning, since the alert still shows in `opsbook status`.
 */
import { arr, isObj, obj, str } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts } from './walk.js';

export const alertWithoutChannel = defineRule({
  code: 'config/alert-without-channel',
  check({ config, names, report }) {
    const incidents = obj(config.incidents);
    const severities = obj(incidents.severities);
    const escalates = (severity: string) =>
      arr(incidents.escalation).some((s) => {
        const only = obj(s).severities;
        return !Array.isArray(only) || only.includes(severity);
      });
    for (const { alert, at } of alerts(config)) {
      if (arr(alert.channels).length) continue;
      const severity = str(alert.severity);
      const sev =
        severity !== undefined && isObj(severities[severity]) ? obj(severities[severity]) : undefined;
      if (severity !== undefined && sev && escalates(severity)) continue;
      const inherited = sev && Array.isArray(sev.channels) ? sev.channels : names.channels;
      if (inherited.length) continue;
      const name = typeof alert.id === 'string' ? `'${alert.id}'` : `#${String(at[1])}`;
      report({
        severity: 'warning',
        message: `alert ${name} notifies nobody: it names no channel${
          sev ? `, severity ${severity} lists none and has no escalation` : ''
        }${names.channels.length ? '' : ', and the stack declares no channel'}`,
        hint: names.channels.length
          ? `add channels: [${names.channels[0]}] to the alert${sev ? ` or to severity ${severity}` : ''}`
          : 'declare one, e.g. channels: { ops: { type: slack, webhook: { env: SLACK_WEBHOOK_URL } } }, and add channels: [ops] to the alert',
        path: at,
        key: true,
      });
    }
  },
});
