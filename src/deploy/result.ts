/** What a deploy run returns: its own module so the phases that build it need not import the run. */
import type { LockInfo } from '../store/index.js';
import type { DeployState } from './journal.js';
import type { DeployPlan } from './plan.js';

export type DeployStatus = 'succeeded' | 'failed' | 'rolled-back' | 'paused' | 'locked';

export interface DeployResult {
  status: DeployStatus;
  runId: string | null;
  plan: DeployPlan;
  state?: DeployState;
  heldBy?: LockInfo & { dead: boolean };
  /** The environment stays locked (after a rollback, or while paused). */
  locked: boolean;
  message: string;
}
