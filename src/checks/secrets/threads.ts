/**
 * How many threads a scan uses by default, and starting its workers early: the secrets command starts them before the
 * scanner's modules load, so a worker's start (a fresh isolate and its modules, ~50 ms, far more on a loaded machine)
 * overlaps loading the rules and listing the files instead of following them.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { prestartWorkers } from '../../workers/prestart.js';

export const SCAN_WORKER = new URL('./worker.js', import.meta.url);

/** Threads a large tree is scanned on: the main thread and one worker per further core. */
export const scanThreads = (): number => Math.min(availableParallelism(), 8);

/**
 * For a scan of the folder `target`: `workers` is the count asked for (`--threads`), or by default one per core beyond
 * the main thread's. A guess made before the listing: a scan of a small tree discards them (scan.ts).
 */
export function prestartScanWorkers(target: string, workers = scanThreads() - 1): void {
  if (workers > 0 && statSync(target, { throwIfNoEntry: false })?.isDirectory())
    prestartWorkers(SCAN_WORKER, workers);
}
