/**
 * The migrate use-cases that reach the database: plan, up, status, verify, test, baseline and repair. The runner
 * and its driver load on the first call (`migrate lint` lives apart and needs neither).
 */

import { hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import type {
  ForeignTool,
  HistoryChangeResult,
  MigrationPlan,
  StatusResult,
  TestResult,
  UpResult,
} from '../migrations/index.js';
import { type MigrateUseCaseOptions, migrateOptions } from './migrate-options.js';

const runner = () => import('../migrations/index.js');

/** What `up` would apply, in order, with each file's statements and risks. */
export async function migratePlan(options: MigrateUseCaseOptions): Promise<MigrationPlan> {
  return (await runner()).planMigrations(await migrateOptions(options));
}

/** Every migration: applied, pending, changed since applied, or unknown to the files. */
export async function migrateStatus(options: MigrateUseCaseOptions): Promise<StatusResult> {
  return (await runner()).migrationStatus(await migrateOptions(options));
}

/** The status, failing unless every migration is applied and unchanged. */
export async function migrateVerify(options: MigrateUseCaseOptions): Promise<StatusResult> {
  return (await runner()).verifyMigrations(await migrateOptions(options));
}

/** Every migration applied to a scratch copy of the schema, which is dropped after. */
export async function migrateTest(options: MigrateUseCaseOptions): Promise<TestResult> {
  return (await runner()).testMigrations(await migrateOptions(options));
}

export interface MigrateUpOptions extends MigrateUseCaseOptions {
  /** Return the plan without applying it. */
  dryRun?: boolean;
  /** Skip the pg_dump before destructive files; the reason is recorded with the migration. */
  noBackupReason?: string;
  /** Asked with the plan before anything is applied; false cancels. */
  confirm?: (plan: MigrationPlan) => Promise<boolean>;
  onProgress?: (message: string) => void;
}

/** `planned`: nothing was applied (a dry run, nothing pending, or a plan with errors). */
export type MigrateUpOutcome =
  | { status: 'planned'; plan: MigrationPlan }
  | { status: 'ran'; result: UpResult };

export async function migrateUp(options: MigrateUpOptions): Promise<MigrateUpOutcome> {
  const { planMigrations, migrateUp: apply } = await runner();
  const runnerOptions = await migrateOptions(options);
  // Plan first: nothing is confirmed or applied that was not shown.
  const plan = await planMigrations(runnerOptions);
  if (hasErrors(plan.diagnostics) || options.dryRun || !plan.pending.length)
    return { status: 'planned', plan };
  if (options.confirm && !(await options.confirm(plan)))
    throw new UserError('cancelled', 'nothing was changed');
  const result = await apply({
    ...runnerOptions,
    noBackupReason: options.noBackupReason,
    onProgress: options.onProgress,
  });
  return { status: 'ran', result };
}

export interface HistoryChangeOptions extends MigrateUseCaseOptions {
  /** Return the changes without recording them. */
  dryRun?: boolean;
  /** Recorded with the changes. */
  reason?: string;
  /** Asked with the preview before anything is recorded; false cancels. */
  confirm?: (preview: HistoryChangeResult) => Promise<boolean>;
}

/** Records the migrations an older tool applied (`from`), up to `to`, as applied. */
export async function migrateBaseline(
  options: HistoryChangeOptions & { to?: string; from?: ForeignTool },
): Promise<HistoryChangeResult> {
  const { baselineHistory } = await runner();
  const runnerOptions = await migrateOptions(options);
  return changeHistory(options, (dryRun) =>
    baselineHistory({ ...runnerOptions, dryRun, reason: options.reason, to: options.to, from: options.from }),
  );
}

/** Brings the history in line with the files: checksums of edited files, rows of files that are gone. */
export async function migrateRepair(options: HistoryChangeOptions): Promise<HistoryChangeResult> {
  const { repairHistory } = await runner();
  const runnerOptions = await migrateOptions(options);
  return changeHistory(options, (dryRun) =>
    repairHistory({ ...runnerOptions, dryRun, reason: options.reason }),
  );
}

async function changeHistory(
  options: HistoryChangeOptions,
  change: (dryRun: boolean) => Promise<HistoryChangeResult>,
): Promise<HistoryChangeResult> {
  const preview = await change(true);
  // With nothing to change, a run asked to apply is no dry run: it says so as what it was.
  if (options.dryRun || !preview.changes.length) return { ...preview, dryRun: Boolean(options.dryRun) };
  if (options.confirm && !(await options.confirm(preview)))
    throw new UserError('cancelled', 'nothing was changed');
  return change(false);
}
