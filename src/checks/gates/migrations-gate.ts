/** The `migrations` gate: lint the migration files, and plan them against the database when its URL is set. */

import type { Gate } from '../../config/index.js';
import { checkMigrations, migrateOptionsFromConfig } from '../../migrations/index.js';
import type { GateContext, GateOutcome } from './types.js';

export async function runMigrationsGate(_gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const options = migrateOptionsFromConfig(ctx.config, {
    cwd: ctx.cwd,
    env: ctx.env,
    redactor: ctx.redactor,
    signal: ctx.signal,
  });
  if (!options)
    return { status: 'passed', summary: 'no migrations configured', evidence: { configured: false } };
  const result = await checkMigrations(options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    status: result.ok ? 'passed' : 'failed',
    summary: `${result.summary}${errors ? `; ${errors} error(s)` : ''}`,
    evidence: { dir: options.dir ?? null, database: options.databaseUrl ? 'set' : 'not set', errors },
    diagnostics: result.diagnostics,
  };
}
