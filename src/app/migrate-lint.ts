/** The migrate lint use-case: the safety rules over migration files, with no database. */
import type { LintFilesResult } from '../migrations/lint-files.js';
import { type MigrateUseCaseOptions, migrateOptions } from './migrate-options.js';

export interface MigrateLintOptions extends MigrateUseCaseOptions {
  /** These files only (default: what is new: not yet applied, else changed since `since`). */
  paths?: string[];
  /** Every file, the history included. */
  all?: boolean;
  /** A git ref: files changed since it. */
  since?: string;
}

export async function migrateLint(options: MigrateLintOptions): Promise<LintFilesResult> {
  const runnerOptions = await migrateOptions(options);
  // The linter alone: lint needs neither the runner nor a database driver.
  const { lintMigrationFiles } = await import('../migrations/lint-files.js');
  return lintMigrationFiles({
    ...runnerOptions,
    paths: options.paths ?? [],
    all: options.all,
    since: options.since,
  });
}
