/** The `data` of `migrate plan|up|status --json`: the plan and the status without the runner's internals. */
import type { MigrationPlan, StatusResult } from '../migrations/index.js';

export function statusData({ target, schema, migrations, foreign, engine }: StatusResult) {
  return { target, schema, migrations, foreign, ...(engine ? { engine } : {}) };
}

export function planData(plan: MigrationPlan) {
  return {
    target: plan.target,
    schema: plan.schema,
    postgres: `${plan.pg.major}.${plan.pg.minor}`,
    ...(plan.engine ? { engine: plan.engine } : {}),
    pending: plan.pending.map((m) => ({
      version: m.version,
      name: m.name,
      file: m.file.display,
      statements: m.statements.length,
      transactional: m.transactional,
      reason: m.reason,
      resumeFrom: m.resumeFrom,
      destructive: m.destructive.map((t) => ({ action: t.action, object: t.object, column: t.column })),
    })),
  };
}
