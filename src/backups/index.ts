/** PostgreSQL backups: pg_dump streamed to a local directory or S3, restore drills, GFS retention, restores. */
export type { Destination } from './destination.js';
export { type BackupEntry, pickEntry } from './entry.js';
export { splitId } from './keys.js';
export { findBackup, listBackups } from './list.js';
export { localDestination } from './local-destination.js';
export {
  API_PLATFORMS,
  type Confirmation,
  confirmManagedBackup,
  type ManagedStatus,
  managedStatus,
} from './managed/index.js';
export {
  type BackupContext,
  type BackupRunSummary,
  backupList,
  backupPrune,
  backupRun,
  backupVerify,
  recordRun,
  resolveEntry,
} from './operations.js';
export { connect as connectPostgres, requirePostgresUrl } from './pg.js';
export { type PgTool, pickTool } from './pg-tools.js';
export type { PruneResult } from './prune.js';
export { planRestore, type RestorePlan, type RestoreResult, restoreBackup } from './restore-backup.js';
export {
  applyRetention,
  isoWeek,
  type RetentionDecision,
  type RetentionItem,
  type RetentionRules,
} from './retention.js';
export type { BackupListing, BackupManifest, TableCount, VerifyRecord } from './types.js';
