/**
 * When `migrate lint` uses worker threads, and starting them early: named folders with enough SQL start the workers
 * while the main thread is still loading the config and listing the files, so their start overlaps that work.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { usableCores } from '../../workers/cores.js';
import { prestartWorkers } from '../../workers/prestart.js';

export const LINT_WORKER = new URL('./worker.js', import.meta.url);

/**
 * Below this much SQL one thread finishes first: a worker costs ~40 ms of CPU to start, instantiates the parser and
 * runs the rules cold again. Measured CLI to CLI on 2 cores (other sessions at nice 19): 0.66 MiB in 1,000 files took
 * the same wall time on one thread as on two with a quarter less CPU, 0.69 MiB of real migrations (228 files) was 15%
 * faster on one; 2 MiB was 10% and 6.6 MiB 20% faster on two.
 */
export const PARALLEL_MIN_BYTES = 1.5 * 1024 * 1024;

/** Threads a lint uses by default (main thread included): the usable cores (workers/cores.ts). */
export const defaultLintThreads = (): number => usableCores();

/**
 * Sizes seen by this process: the guess before the selection (prestartLintWorkers) and the decision after it
 * (lint-files.ts) ask about the same files, and a thousand stat calls are ~8 ms.
 */
const sizes = new Map<string, number>();

function sizeOf(path: string): number {
  let size = sizes.get(path);
  if (size === undefined) {
    size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    sizes.set(path, size);
  }
  return size;
}

/** Whether `files` hold at least `min` bytes: sizes are summed until they do. */
export function atLeastBytes(files: Iterable<{ path: string; text?: string }>, min: number): boolean {
  let bytes = 0;
  for (const { path, text } of files) {
    bytes += text !== undefined ? Buffer.byteLength(text) : sizeOf(path);
    if (bytes >= min) return true;
  }
  return false;
}

/**
 * Starts the lint's workers now when `paths` (the command's arguments, a folder standing for its direct entries) hold
 * at least PARALLEL_MIN_BYTES. A guess made before the selection: a pool that is not needed discards them.
 */
export function prestartLintWorkers(paths: readonly string[], cwd: string): void {
  const threads = defaultLintThreads();
  if (threads <= 1) return;
  const files = function* () {
    for (const path of paths) {
      const full = resolve(cwd, path);
      // Missing or unreadable: the selection reports it.
      const info = statSync(full, { throwIfNoEntry: false });
      if (!info?.isDirectory()) yield { path: full };
      else for (const name of readdirSafe(full)) yield { path: join(full, name) };
    }
  };
  if (atLeastBytes(files(), PARALLEL_MIN_BYTES)) prestartWorkers(LINT_WORKER, threads - 1);
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
