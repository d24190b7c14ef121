import { obj } from '../raw.js';
import { defineRule } from './rule.js';

/** Fields only an engine's own command reads; opsbook applies plain SQL files itself and runs no command for them. */
const COMMAND_FIELDS = ['command', 'commandTimeout'] as const;
/** Fields only opsbook's own runner acts on: it sets them before each .sql file; an engine's command sets neither. */
const RUNNER_FIELDS = { lockTimeout: 'lock_timeout', statementTimeout: 'statement_timeout' } as const;

/**
 * `command` on `engine: sql` looked like the way migrations are applied while nothing ran it; a timeout with an engine
 * looked like a guard on its statements while the engine's command ran them without it.
 */
export const engineOption = defineRule({
  code: 'config/engine-option',
  check({ config, report }) {
    const m = obj(config.migrations);
    if (m.engine !== undefined && m.engine !== 'sql') {
      for (const [field, setting] of Object.entries(RUNNER_FIELDS)) {
        if (m[field] === undefined) continue;
        report({
          severity: 'error',
          message: `migrations.${field} is set, but with engine ${String(m.engine)} its own command applies the migrations and opsbook sets no ${setting} for them`,
          hint: `put SET ${setting} = '...'; at the top of each migration (opsbook's lint asks for it), or remove ${field}`,
          path: ['migrations', field],
          key: true,
        });
      }
      return;
    }
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
