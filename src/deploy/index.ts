/** Deploy: the journaled deployment run, its plan, rollback, announcements and the deployment log. */
export type { DeployProgress, RunDeployOptions, VerifyTarget } from './context.js';
export { type DeployState, readState } from './journal.js';
export { describeLock, lockName } from './locks.js';
export { type DeployPlan, planDeploy } from './plan.js';
export { type DeployResult, type DeployStatus, planFor, runDeploy } from './run-deploy.js';
