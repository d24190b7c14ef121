/** What every route reads from: the store, the config, the environment served, and this instance's live figures. */
import type { StackConfig } from '../config/index.js';
import type { Redactor } from '../redact/index.js';
import type { Store } from '../store/index.js';
import type { LagTracker } from './lag.js';
import type { LiveMetrics } from './live-metrics.js';

export interface ServerContext {
  store: Store;
  config: StackConfig;
  environment: string;
  /** Everything served passes through it (and the store already redacts what it writes). */
  redactor: Redactor;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
  /** The key that signs incident acknowledge links; without it the links are refused. */
  signingKey?: () => Promise<string>;
  /** The URL people reach this server at (links in the Atom feed). */
  publicUrl?: string;
  /** The schedule lag of the checks this instance ran, when it runs a monitor engine. */
  lag?: LagTracker;
  /** Latency of the checks this instance ran, kept as they arrive: /metrics reads it instead of the store. */
  live?: LiveMetrics;
  /** Requests for /metrics and /status within this long of the last rendering get it again (serve: 1 s). */
  shareRenderingsMs?: number;
  /** Whether this instance's monitor engine keeps up with its monitors. */
  pace?: () => { dueRate: number; pace?: { behind: boolean; checksPerSecond: number; worstLagMs: number } };
}

export const nowOf = (ctx: ServerContext): number => (ctx.now ?? Date.now)();
