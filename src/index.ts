/**
 * The opsbook library: the use-cases the CLI runs, as functions taking plain options and returning result values
 * (nothing is printed), with `defineConfig` for opsbook.config.ts, the config loader and the error classes.
 *
 * Each use-case loads its module on first call: opsbook.config.ts imports this file for `defineConfig`, and must
 * not pay for providers, drivers and the store.
 */

export type { CheckOptions } from './app/check.js';
export type { ConfigOptions, UseCaseOptions } from './app/context.js';
export type { DeployOptions, DeployOutcome, DeployPlanned, DeployRun } from './app/deploy.js';
export type { HealthOptions } from './app/health.js';
export type { LogOptions, LogResult } from './app/log.js';
export type { HistoryChangeOptions, MigrateUpOptions, MigrateUpOutcome } from './app/migrate.js';
export type { MigrateLintOptions } from './app/migrate-lint.js';
export type { MigrateUseCaseOptions } from './app/migrate-options.js';
export type { RollbackUseCaseOptions as RollbackOptions } from './app/rollback.js';
export type { ServeHandle, ServeOptions } from './app/serve.js';
export type { DeployStatusInfo, ServiceStatus, StatusOptions, StatusResult } from './app/status.js';
export type { UnlockOptions, UnlockResult } from './app/unlock.js';
export type { VerifyOptions } from './app/verify.js';
export type { CheckResult, GateResult } from './checks/gates/index.js';
export {
  defineConfig,
  type LoadConfigOptions,
  type LoadConfigResult,
  loadConfig,
  type StackConfig,
  type StackConfigInput,
} from './config/index.js';
export type {
  DeliveryMetrics,
  DeployPlan,
  DeployProgress,
  DeployState,
  DeployStatus,
  LogEntry,
  RollbackResult,
} from './deploy/index.js';
export type { Diagnostic, Location, Severity } from './diagnostics/index.js';
export { ConfigError, EXIT, ProviderError, UserError } from './errors.js';
export type { HealthReport, HealthState, ServiceHealth } from './health/index.js';
export type {
  HistoryChangeResult,
  LintFilesResult,
  MigrationPlan,
  StatusResult as MigrationStatusResult,
  TestResult as MigrationTestResult,
  UpResult as MigrationUpResult,
} from './migrations/index.js';
export { OutcomeUnknownError } from './providers/http/errors.js';
export { createRedactor, type Redactor } from './redact/index.js';
export type { AnalysisResult, Measurement } from './verify/index.js';

type UseCase = (...args: never[]) => Promise<unknown>;

/** A use-case whose module is imported on its first call. */
function lazy<M extends Record<K, UseCase>, K extends string>(load: () => Promise<M>, name: K): M[K] {
  return (async (...args: Parameters<M[K]>) => (await load())[name](...args)) as M[K];
}

const migrate = () => import('./app/migrate.js');

/** Gates, migrations, the deploy in order, verification and automatic rollback: `opsbook deploy`. */
export const deploy = lazy(() => import('./app/deploy.js'), 'deploy');
/** Services back to their last verified release: `opsbook rollback`. */
export const rollback = lazy(() => import('./app/rollback.js'), 'rollback');
/** Releases an environment's lock by hand: `opsbook unlock`. */
export const unlock = lazy(() => import('./app/unlock.js'), 'unlock');
/** The architecture table, live: `opsbook status`. */
export const status = lazy(() => import('./app/status.js'), 'status');
/** Every service probed once: `opsbook health`. */
export const health = lazy(() => import('./app/health.js'), 'health');
/** The pre-deploy gates: `opsbook check`. */
export const check = lazy(() => import('./app/check.js'), 'check');
/** The bake-window analysis against what serves now: `opsbook verify`. */
export const verify = lazy(() => import('./app/verify.js'), 'verify');
/** The deployment log and delivery metrics: `opsbook log`. */
export const log = lazy(() => import('./app/log.js'), 'log');
/** Monitors, alerts, jobs, incidents and the HTTP server until closed: `opsbook serve`. */
export const serve = lazy(() => import('./app/serve.js'), 'serve');
/** The safety rules over migration files, with no database: `opsbook migrate lint`. */
export const migrateLint = lazy(() => import('./app/migrate-lint.js'), 'migrateLint');
/** `opsbook migrate plan|up|status|verify|test|baseline|repair`. */
export const migratePlan = lazy(migrate, 'migratePlan');
export const migrateUp = lazy(migrate, 'migrateUp');
export const migrateStatus = lazy(migrate, 'migrateStatus');
export const migrateVerify = lazy(migrate, 'migrateVerify');
export const migrateTest = lazy(migrate, 'migrateTest');
export const migrateBaseline = lazy(migrate, 'migrateBaseline');
export const migrateRepair = lazy(migrate, 'migrateRepair');
