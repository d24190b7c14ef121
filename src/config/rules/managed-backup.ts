import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

const API_PLATFORMS = ['supabase', 'railway'];
const FIELDS = ['platform', 'resource', 'token'] as const;
/** What opsbook's own backups read: the platform takes, keeps and restores a managed backup, so nothing reads these. */
const OWN_FIELDS = ['urlEnv', 'format', 'jobs', 'retention', 'encryption', 'verify'] as const;

/**
 * Platform-managed backups: Supabase and Railway are checked through their API, so they need the resource and a
 * token; Render and Neon list no backups opsbook can read, so a resource or token there would be read by nothing.
 */
export const managedBackup = defineRule({
  code: 'config/managed-backup',
  check({ config, report }) {
    arr(config.backups).forEach((b, i) => {
      const e = obj(b);
      const name = String(e.id ?? i);
      if (e.managed !== true) {
        for (const f of FIELDS)
          if (e[f] !== undefined)
            report({
              severity: 'error',
              message: `backup '${name}' sets ${f}, which only platform-managed backups use`,
              hint: 'add managed: true when the platform takes the backups, or remove it',
              path: ['backups', i, f],
              key: true,
            });
        return;
      }
      for (const f of OWN_FIELDS)
        if (e[f] !== undefined)
          report({
            severity: 'error',
            message: `backup '${name}' is managed by the platform, so nothing reads its ${f}: the platform takes, keeps and restores these backups`,
            hint: `remove ${f} (set it on the platform), or remove managed: true to have opsbook take the backups itself`,
            path: ['backups', i, f],
            key: true,
          });
      const platform = typeof e.platform === 'string' ? e.platform : undefined;
      if (platform && API_PLATFORMS.includes(platform)) {
        for (const f of ['resource', 'token'] as const)
          if (e[f] === undefined)
            report({
              severity: 'error',
              message: `backup '${name}' on ${platform} needs ${f} so opsbook can read its backups from the ${platform} API`,
              hint:
                f === 'token'
                  ? `token: { env: ${platform === 'supabase' ? 'SUPABASE_ACCESS_TOKEN' : 'RAILWAY_API_TOKEN'} }`
                  : platform === 'supabase'
                    ? 'resource: the project ref (Project Settings → General)'
                    : 'resource: the volume instance id of the database volume',
              path: ['backups', i],
            });
        return;
      }
      for (const f of ['resource', 'token'] as const)
        if (e[f] !== undefined)
          report({
            severity: 'error',
            message: `backup '${name}' sets ${f}, but ${platform ?? 'an unnamed platform'} has no backup list opsbook reads`,
            hint: 'remove it: a person confirms these backups with `opsbook backup confirm`',
            path: ['backups', i, f],
            key: true,
          });
    });
  },
});
