/**
 * Spreads task batches over worker threads, one batch per idle worker, or runs them in-process for small scans where
 * starting threads costs more than it saves.
 */
import { createBatchPool } from '../../workers/index.js';
import { type CompiledRuleSet, compileRuleSet } from './compile.js';
import { type BatchResult, runBatch, type ScanBatch } from './task.js';
import { SCAN_WORKER } from './threads.js';
import type { RuleSet } from './types.js';
import type { ScanWorkerData } from './worker.js';

export interface ScanPool {
  readonly workers: number;
  /** Whether the main thread scans too. */
  readonly mainThread: boolean;
  run(batch: ScanBatch): Promise<BatchResult>;
  /** Batches submitted and not yet finished. */
  readonly pending: number;
  close(): Promise<void>;
}

function createInProcessPool(ruleSet: RuleSet, maxBytes: number): ScanPool {
  const set = compileRuleSet(ruleSet);
  return {
    workers: 0,
    mainThread: true,
    pending: 0,
    run: async (batch) => runBatch(set, batch, maxBytes),
    close: async () => {},
  };
}

export interface PoolOptions {
  workers: number;
  /**
   * The main thread takes batches too, and workers start only if work is still queued after `deferWorkersMs`: a new
   * isolate needs a few hundred ms to start and warm up, more than a small scan takes on one thread.
   */
  mainThread: boolean;
  deferWorkersMs?: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export function createPool(ruleSet: RuleSet, options: PoolOptions): ScanPool {
  if (options.workers <= 0) return createInProcessPool(ruleSet, options.maxBytes);
  let mainSet: CompiledRuleSet | undefined;
  const pool = createBatchPool<ScanBatch, BatchResult>({
    entry: SCAN_WORKER,
    workerData: { ruleSet, maxBytes: options.maxBytes } satisfies ScanWorkerData,
    workers: options.workers,
    runOnMain: options.mainThread
      ? (batch) => {
          mainSet ??= compileRuleSet(ruleSet);
          return runBatch(mainSet, batch, options.maxBytes);
        }
      : undefined,
    deferWorkersMs: options.deferWorkersMs,
    // A worker that finishes a batch starts the next at once instead of waiting for the main thread to hand it one
    // (on a loaded machine the main thread may not run for tens of ms).
    perWorker: 3,
    signal: options.signal,
    name: 'secret scanner',
  });
  return {
    get workers() {
      return pool.workers;
    },
    mainThread: options.mainThread,
    get pending() {
      return pool.pending;
    },
    run: (batch) => pool.run(batch),
    close: () => pool.close(),
  };
}
