/** Deploy: the journaled deployment run, its plan, rollback, announcements and the deployment log. */
export type { DeployProgress, RunDeployOptions, VerifyTarget } from './context.js';
export { type DeployState, readState } from './journal.js';
export { describeLock, lockName } from './locks.js';
export { type DeployPlan, planDeploy } from './plan.js';
export { type DeployResult, type DeployStatus, planFor, runDeploy } from './run-deploy.js';
export { type RollbackOptions, type RollbackResult, rollbackEnvironment } from './manual-rollback.js';
export { deliveryMetrics, type DeliveryMetrics, type LogEntry, renderLogEntry, renderLogMarkdown, toLogEntry } from './deployment-log.js';
export { holderIsDead, runIdOfHolder } from './locks.js';
