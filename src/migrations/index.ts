/** Safe Postgres migrations: a locked, checksummed, resumable runner and a linter on the real Postgres parser. */

export { type DbClient, withClient } from './db.js';
export { describeExit, runShell } from './engines/command.js';
export { findDjangoApps } from './engines/django-apps.js';
export type { ForeignHistory, ForeignTool } from './foreign-history.js';
export { migrateOptionsFromConfig } from './from-config.js';
export { checkMigrations, type MigrationsCheck } from './gate.js';
export { type LintFilesResult, lintMigrationFiles } from './lint-files.js';
export { DEFAULTS, type MigrateOptions, type MigrationEvent, type MigrationJournal } from './options.js';
export { type MigrationPlan, type PlannedMigration, planMigrations } from './plan.js';
export { baselineHistory, type HistoryChange, type HistoryChangeResult, repairHistory } from './repair.js';
export { type TestResult, testMigrations } from './scratch.js';
export { migrationStatus, type StatusResult, type StatusRow, verifyMigrations } from './status.js';
export { type AppliedMigration, migrateUp, type UpOptions, type UpResult } from './up.js';
