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
  // A migrations gate with no migrations section checks nothing: that is not a pass a deploy may rely on.
  if (!options)
    return {
      status: 'failed',
      summary: 'nothing to check: the config has no migrations section',
      evidence: { configured: false },
      diagnostics: [
        {
          severity: 'error',
          code: 'gate/migrations-not-configured',
          message: "the migrations gate has nothing to check: opsbook.yaml has no 'migrations:' section",
          hint: 'add migrations: { database: <service>, dir: <folder> }, or remove the gate if the stack has no migrations',
          location: { path: 'migrations' },
        },
      ],
    };
  const result = await checkMigrations(options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    status: result.ok ? 'passed' : 'failed',
    summary: `${result.summary}${errors ? `; ${errors} error(s)` : ''}`,
    evidence: { dir: options.dir ?? null, database: options.databaseUrl ? 'set' : 'not set', errors },
    diagnostics: result.diagnostics,
  };
}
