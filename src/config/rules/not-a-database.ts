import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const notADatabase = defineRule({
  code: 'config/not-a-database',
  check({ config, report }) {
    const check = (database: unknown, path: (string | number)[], label: string) => {
      if (database === undefined) return;
      const kind = obj(obj(config.services)[String(database)]).kind;
      if (kind !== undefined && kind !== 'database')
        report({
          severity: 'error',
          message: `${label} '${String(database)}' is a ${String(kind)} service, not a database`,
          hint: 'point it at a service of kind: database',
          path,
        });
    };
    check(obj(config.migrations).database, ['migrations', 'database'], 'migrations.database');
    arr(config.backups).forEach((b, i) =>
      check(obj(b).database, ['backups', i, 'database'], `backups[${i}].database`),
    );
  },
});
