/**
 * When `migrate lint` uses worker threads, and starting them early: named folders with enough files start the workers
 * while the main thread is still loading the config and listing the files, so their start overlaps that work.
 */
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { prestartWorkers } from '../../workers/prestart.js';

export const LINT_WORKER = new URL('./worker.js', import.meta.url);

/**
 * Below this many files one thread is faster: a worker needs ~130 ms to start and load the WASM parser, about as
 * long as linting 150 files takes.
 */
export const PARALLEL_MIN_FILES = 200;

export const defaultLintThreads = (): number => Math.min(availableParallelism(), 8);

/**
 * Starts the lint's workers now when `paths` (the command's arguments) hold at least PARALLEL_MIN_FILES entries, a
 * folder counting its direct entries. A guess made before the selection: a pool that is not needed discards them.
 */
export function prestartLintWorkers(paths: readonly string[], cwd: string): void {
  const threads = defaultLintThreads();
  if (threads <= 1) return;
  let entries = 0;
  for (const path of paths) {
    try {
      const full = resolve(cwd, path);
      entries += statSync(full).isDirectory() ? readdirSync(full).length : 1;
    } catch {
      // Missing or unreadable: the selection reports it.
    }
    if (entries >= PARALLEL_MIN_FILES) {
      prestartWorkers(LINT_WORKER, threads - 1);
      return;
    }
  }
}
