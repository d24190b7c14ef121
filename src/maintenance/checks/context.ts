/** What a built-in maintenance check gets: the task, the project, the environment and the previous evidence. */
import type { StackConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import type { Evidence, MaintenanceTask } from '../types.js';

export interface CheckContext {
  task: MaintenanceTask;
  config: StackConfig;
  cwd: string;
  env: NodeJS.ProcessEnv;
  store?: Store;
  now: Date;
  /** The evidence of the last completion, for growth and trends. */
  previous?: Evidence;
  previousAt?: string;
  signal?: AbortSignal;
}
