import { arr, obj, str } from '../raw.js';
import { defineRule } from './rule.js';

export const duplicateId = defineRule({
  code: 'config/duplicate-id',
  check({ config, report }) {
    // Backups, maintenance tasks and heartbeats are named on the command line and in job locks: one each.
    for (const [section, kind] of [
      ['gates', 'gate'],
      ['backups', 'backup'],
      ['maintenance', 'maintenance task'],
      ['maintenanceWindows', 'maintenance window'],
      ['heartbeats', 'heartbeat'],
      ['upstreams', 'upstream'],
    ] as const) {
      const seen = new Set<string>();
      arr(config[section]).forEach((g, i) => {
        const id = str(obj(g).id);
        if (id && seen.has(id))
          report({
            severity: 'error',
            message: `${kind} id '${id}' is used twice`,
            hint: `give each ${kind} its own id`,
            path: [section, i, 'id'],
          });
        if (id) seen.add(id);
      });
    }
  },
});
