import { arr, obj, str } from '../raw.js';
import { defineRule } from './rule.js';

export const sharedPingToken = defineRule({
  code: 'config/shared-ping-token',
  check({ config, report }) {
    // A ping is matched to its heartbeat by the token alone: with one token for two, every ping reached only the
    // last of them, the other went down though its job ran, or stayed up on pings of a job that had stopped.
    const first = new Map<string, string>();
    arr(config.heartbeats).forEach((h, i) => {
      const hb = obj(h);
      const name = str(obj(hb.token).env);
      if (!name) return;
      const id = str(hb.id) ?? `#${i + 1}`;
      const before = first.get(name);
      if (before === undefined) {
        first.set(name, id);
        return;
      }
      report({
        severity: 'error',
        message: `heartbeat '${id}' uses ${name}, as heartbeat '${before}' does: a ping could not tell which of them it is for`,
        hint: `give heartbeat '${id}' its own token variable, e.g. { env: ${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PING_TOKEN }`,
        path: ['heartbeats', i, 'token', 'env'],
      });
    });
  },
});
