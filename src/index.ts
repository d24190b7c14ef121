/**
 * The opsbook library: the use-cases the CLI runs, as functions taking plain options and returning result values
 * (nothing is printed), with `defineConfig` for opsbook.config.ts, the config loader and the error classes.
 *
 * Each use-case loads its module on first call: opsbook.config.ts imports this file for `defineConfig`, and must
 * not pay for providers, drivers and the store.
 */

export type { BackupOptions, RestoreOptions, RestoreOutcome } from './app/backup.js';
export type { CheckOptions } from './app/check.js';
export type { ConfigOptions, UseCaseOptions } from './app/context.js';
export type { DeployOptions, DeployOutcome, DeployPlanned, DeployRun } from './app/deploy.js';
export type { DoctorResult, DoctorUseCaseOptions as DoctorOptions } from './app/doctor.js';
export type { EnvCheckOptions, EnvFileOptions, EnvFileResult } from './app/env.js';
export type { HealthOptions } from './app/health.js';
export type { IncidentChange, IncidentOptions, PostmortemResult } from './app/incident.js';
export type { InitOptions, InitResult, InitSummary } from './app/init.js';
export type { LogOptions, LogResult } from './app/log.js';
export type { MaintenanceOptions } from './app/maintenance.js';
export type { WindowOptions as MaintenanceWindowOptions } from './app/maintenance-window.js';
export type { HistoryChangeOptions, MigrateUpOptions, MigrateUpOutcome } from './app/migrate.js';
export type { MigrateLintOptions } from './app/migrate-lint.js';
export type { MigrateUseCaseOptions } from './app/migrate-options.js';
export type { OnCallNow, OnCallRow, OncallOptions, ScheduleShifts } from './app/oncall.js';
export type { RollbackUseCaseOptions as RollbackOptions } from './app/rollback.js';
export type { ServeHandle, ServeOptions } from './app/serve.js';
export type { SilenceOptions } from './app/silence.js';
export type { SloOptions } from './app/slo.js';
export type { DeployStatusInfo, ServiceStatus, StatusOptions, StatusResult } from './app/status.js';
export type { UnlockOptions, UnlockResult } from './app/unlock.js';
export type { VerifyOptions } from './app/verify.js';
export type {
  BackupListing,
  BackupRunSummary,
  Confirmation as BackupConfirmation,
  ManagedStatus as ManagedBackupStatus,
  PruneResult as BackupPruneResult,
  RestorePlan,
  RestoreResult,
  VerifyRecord as BackupVerifyRecord,
} from './backups/index.js';
export type { CheckEnvResult, DiffEnvResult } from './checks/env/index.js';
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
export type { DoctorReport, Finding as DoctorFinding } from './doctor/index.js';
export { ConfigError, EXIT, ProviderError, UserError } from './errors.js';
export type { HealthReport, HealthState, ServiceHealth } from './health/index.js';
export type { IncidentReport, PublicState } from './incidents/index.js';
export type {
  Completion as MaintenanceCompletion,
  TaskStatus as MaintenanceTaskStatus,
} from './maintenance/index.js';
export type { MaintenanceWindow } from './maintenance-windows/index.js';
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
export type { SloReport, SloStatus } from './slo/index.js';
export type { IncidentRecord, SilenceRecord } from './store/index.js';
export type { AnalysisResult, Measurement } from './verify/index.js';

type UseCase = (...args: never[]) => Promise<unknown>;

/** A use-case whose module is imported on its first call. */
function lazy<M extends Record<K, UseCase>, K extends string>(load: () => Promise<M>, name: K): M[K] {
  return (async (...args: Parameters<M[K]>) => (await load())[name](...args)) as M[K];
}

const migrate = () => import('./app/migrate.js');
const silence = () => import('./app/silence.js');
const maintenance = () => import('./app/maintenance.js');
const maintenanceWindow = () => import('./app/maintenance-window.js');
const incident = () => import('./app/incident.js');
const backup = () => import('./app/backup.js');
const env = () => import('./app/env.js');
const oncall = () => import('./app/oncall.js');

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
/** `opsbook silence add|list|expire`: mute alerts by label matchers for a while. */
export const silenceAdd = lazy(silence, 'silenceAdd');
export const silenceList = lazy(silence, 'silenceList');
export const silenceExpire = lazy(silence, 'silenceExpire');
/** Error budget left and burn rates of each SLO, from the monitor history: `opsbook slo`. */
export const slo = lazy(() => import('./app/slo.js'), 'slo');
/** `opsbook maintenance list|due|run|done`: the recurring chores, what is due, running one, recording one done. */
export const maintenanceList = lazy(maintenance, 'maintenanceList');
export const maintenanceDueTasks = lazy(maintenance, 'maintenanceDueTasks');
export const maintenanceRun = lazy(maintenance, 'maintenanceRun');
export const maintenanceDone = lazy(maintenance, 'maintenanceDone');
/** `opsbook maintenance window list|start|end`: maintenance by hand, honoured by the status page and alerts. */
export const maintenanceWindowList = lazy(maintenanceWindow, 'windowList');
export const maintenanceWindowStart = lazy(maintenanceWindow, 'windowStart');
export const maintenanceWindowEnd = lazy(maintenanceWindow, 'windowEnd');
/** `opsbook incident open|ack|update|resolve|note|list|show|postmortem`. */
export const incidentOpen = lazy(incident, 'incidentOpen');
export const incidentAck = lazy(incident, 'incidentAck');
export const incidentUpdate = lazy(incident, 'incidentUpdate');
export const incidentResolve = lazy(incident, 'incidentResolve');
export const incidentNote = lazy(incident, 'incidentNote');
export const incidentList = lazy(incident, 'incidentList');
export const incidentReport = lazy(incident, 'incidentReport');
export const incidentPostmortem = lazy(incident, 'incidentPostmortem');
/** `opsbook backup run|list|verify|prune|confirm|restore`. */
export const runBackup = lazy(backup, 'runBackup');
export const listBackups = lazy(backup, 'listBackups');
export const verifyBackup = lazy(backup, 'verifyBackup');
export const pruneBackups = lazy(backup, 'pruneBackups');
export const confirmBackup = lazy(backup, 'confirmBackup');
export const restoreFromBackup = lazy(backup, 'restoreFromBackup');
/** A starter opsbook.yaml from what the repository runs on: `opsbook init`. */
export const initProject = lazy(() => import('./app/init.js'), 'initProject');
/** `opsbook env check|diff|example|docs`: the env contract against real values, and the files generated from it. */
export const envCheck = lazy(env, 'envCheck');
export const envDiff = lazy(env, 'envDiff');
export const envExample = lazy(env, 'envExample');
export const envDocs = lazy(env, 'envDocs');
/** Every doctor check, the likeliest cause first: `opsbook doctor`. */
export const doctor = lazy(() => import('./app/doctor.js'), 'doctor');
/** `opsbook oncall [now] | at TIME | schedule [ID]`: who is on call, and the coming shifts. */
export const oncallAt = lazy(oncall, 'oncallAt');
export const oncallSchedule = lazy(oncall, 'oncallSchedule');
