/** Deploy: the journaled deployment run, its plan, rollback, announcements and the deployment log. */

export { announcement } from './announce.js';
export type { DeployProgress, RunDeployOptions, VerifyTarget } from './context.js';
export { type DeliveryMetrics, deliveryMetrics } from './delivery-metrics.js';
export {
  type LogEntry,
  renderLogEntry,
  renderLogMarkdown,
  toLogEntry,
} from './deployment-log.js';
export { type DeployState, readState } from './journal.js';
export { describeLock, holderIsDead, lockName, runIdOfHolder } from './locks.js';
export { type RollbackOptions, type RollbackResult, rollbackEnvironment } from './manual-rollback.js';
export { type DeployPlan, planDeploy } from './plan.js';
export { autoDeployTurnedOff, cutShortRollback } from './rollback-runs.js';
export { type DeployResult, type DeployStatus, planFor, runDeploy } from './run-deploy.js';
export { isResumable } from './start-run.js';
export { type ManualRollback, manualRollbacks } from './undone-by.js';
