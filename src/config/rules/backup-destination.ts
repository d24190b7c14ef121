import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

/** A backup opsbook takes needs somewhere to go; one the platform takes has nowhere for opsbook to write. */
export const backupDestination = defineRule({
  code: 'config/backup-destination',
  check({ config, report }) {
    arr(config.backups).forEach((b, i) => {
      const managed = obj(b).managed === true;
      const has = obj(b).destination !== undefined;
      if (!managed && !has)
        report({
          severity: 'error',
          message: `backup '${String(obj(b).id ?? i)}' has no destination`,
          hint: 'add destination: { type: local, path: ... } or { type: s3, bucket: ... }, or managed: true when the platform takes the backups',
          path: ['backups', i],
        });
      if (managed && has)
        report({
          severity: 'error',
          message: `backup '${String(obj(b).id ?? i)}' is managed by the platform: opsbook writes nothing to its destination`,
          hint: 'remove destination, or managed: true to have opsbook take the backups itself',
          path: ['backups', i, 'destination'],
          key: true,
        });
    });
  },
});
