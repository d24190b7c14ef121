import { obj } from '../raw.js';
import { defineRule } from './rule.js';

export const notADatabase = defineRule({
  code: 'config/not-a-database',
  check({ config, report }) {
    const database = obj(config.migrations).database;
    if (database === undefined) return;
    const kind = obj(obj(config.services)[String(database)]).kind;
    if (kind !== undefined && kind !== 'database')
      report({
        severity: 'error',
        message: `migrations.database '${String(database)}' is a ${String(kind)} service, not a database`,
        hint: 'point it at a service of kind: database',
        path: ['migrations', 'database'],
      });
  },
});
