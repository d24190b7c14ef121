import { obj } from '../raw.js';
import { defineRule } from './rule.js';

/** Fields only an engine's own command reads; opsbook applies plain SQL files itself and runs no command for them. */
const COMMAND_FIELDS = ['command', 'commandTimeout'] as const;

/** `command` on `engine: sql` looked like the way migrations are applied while nothing ran it. */
export const engineOption = defineRule({
  code: 'config/engine-option',
  check({ config, report }) {
    const m = obj(config.migrations);
    if (m.engine !== undefined && m.engine !== 'sql') return;
    for (const field of COMMAND_FIELDS) {
      if (m[field] === undefined) continue;
      report({
        severity: 'error',
        message: `migrations.${field} is set, but with engine sql opsbook applies the .sql files itself and runs no command`,
        hint:
          field === 'command'
            ? 'set migrations.engine to the tool that command runs (prisma, alembic, django, rails, ...), or remove the command'
            : 'remove commandTimeout, or set migrations.engine to the tool whose command it limits',
        path: ['migrations', field],
        key: true,
      });
    }
  },
});
