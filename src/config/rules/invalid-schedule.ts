import { arr, entries, isObj, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const invalidSchedule = defineRule({
  code: 'config/invalid-schedule',
  check({ config, schedule }) {
    for (const [name, svc] of entries(config.services))
      if (svc.schedule !== undefined) schedule(svc.schedule, ['services', name, 'schedule']);
    arr(config.maintenance).forEach((t, i) => schedule(obj(t).every, ['maintenance', i, 'every']));
    arr(config.maintenanceWindows).forEach((w, i) => {
      if (obj(w).every !== undefined) schedule(obj(w).every, ['maintenanceWindows', i, 'every']);
    });
    arr(config.backups).forEach((b, i) => {
      schedule(obj(b).schedule, ['backups', i, 'schedule']);
      const verify = obj(b).verify;
      if (isObj(verify)) schedule(verify.every, ['backups', i, 'verify', 'every']);
    });
  },
});
