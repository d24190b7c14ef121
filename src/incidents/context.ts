/** What every incident action works with; its own module so the helpers actions call can take it too. */
import type { StackConfig } from '../config/index.js';
import type { Store } from '../store/index.js';

export interface IncidentContext {
  store: Store;
  config: StackConfig;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
}
