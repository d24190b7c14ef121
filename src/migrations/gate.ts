/** What the pre-deploy `migrations` gate runs: the plan (drift, lint of pending files) with a database, lint without. */
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { lintMigrationFiles } from './lint-files.js';
import type { MigrateOptions } from './options.js';
import { planMigrations } from './plan.js';

export interface MigrationsCheck {
  ok: boolean;
  /** One line of evidence for the checklist. */
  summary: string;
  diagnostics: Diagnostic[];
}

export async function checkMigrations(options: MigrateOptions): Promise<MigrationsCheck> {
  if (!options.databaseUrl) {
    const lint = await lintMigrationFiles(options);
    return {
      ok: !hasErrors(lint.diagnostics),
      summary: `linted ${lint.files.length} migration file(s) without a database (${lint.scope}; no plan)`,
      diagnostics: lint.diagnostics,
    };
  }
  const plan = await planMigrations(options);
  const destructive = plan.pending.filter((m) => m.destructive.length).length;
  return {
    ok: !hasErrors(plan.diagnostics),
    summary: `${plan.pending.length} pending migration(s) for ${plan.target}${destructive ? `, ${destructive} destructive (backed up first)` : ''}`,
    diagnostics: plan.diagnostics,
  };
}
