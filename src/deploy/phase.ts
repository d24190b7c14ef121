import type { ProviderContext } from '../providers/types.js';
import type { DeployProgress, RunDeployOptions } from './context.js';
import type { Journal } from './journal.js';

/** What each phase of the run gets. */
export interface PhaseContext {
  options: RunDeployOptions;
  journal: Journal;
  providerCtx: ProviderContext;
  /** Runs work whose time is not opsbook's own (provider calls, waiting), for the overhead figure. */
  external: <T>(work: () => Promise<T>) => Promise<T>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  progress: (p: DeployProgress) => void;
}
