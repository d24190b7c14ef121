import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

/**
 * Parallel workers need pg_dump's directory format: a custom-format archive streams from one process, and
 * pg_restore cannot read one in parallel from a stream. Refused rather than silently run single-threaded.
 */
export const backupJobs = defineRule({
  code: 'config/backup-jobs',
  check({ config, report }) {
    arr(config.backups).forEach((b, i) => {
      const entry = obj(b);
      if (typeof entry.jobs === 'number' && entry.jobs > 1 && entry.format !== 'directory')
        report({
          severity: 'error',
          message: `backup '${String(entry.id ?? i)}' asks for ${entry.jobs} parallel jobs, which only the directory format can use`,
          hint: 'add format: directory (pg_dump -Fd -j), or remove jobs',
          path: ['backups', i, 'jobs'],
          key: true,
        });
    });
  },
});
