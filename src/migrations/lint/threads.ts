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
 * Files measured to decide on workers: of more, this many evenly spaced stand for the rest. Measuring all of them
 * was a stat call each, ~10 ms of a 1,000-file lint's ~400 ms, to choose between two ways that take about the same
 * time near the threshold.
 */
export const SIZE_SAMPLE = 64;

/**
 * Whether `files` hold at least `min` bytes: summed until they do, or, of more than SIZE_SAMPLE files, estimated
 * from an even sample of them.
 */
export function atLeastBytes(files: readonly { path: string; text?: string }[], min: number): boolean {
  const size = ({ path, text }: { path: string; text?: string }) =>
    text !== undefined ? Buffer.byteLength(text) : (statSync(path, { throwIfNoEntry: false })?.size ?? 0);
  let bytes = 0;
  if (files.length <= SIZE_SAMPLE) {
    for (const file of files) {
      bytes += size(file);
      if (bytes >= min) return true;
    }
    return false;
  }
  for (let k = 0; k < SIZE_SAMPLE; k++) bytes += size(files[Math.floor((k * files.length) / SIZE_SAMPLE)]!);
  return (bytes / SIZE_SAMPLE) * files.length >= min;
}

/**
 * Starts the lint's workers now when `paths` (the command's arguments, a folder standing for its direct entries) hold
 * at least PARALLEL_MIN_BYTES. A guess made before the selection: a pool that is not needed discards them.
 */
export function prestartLintWorkers(paths: readonly string[], cwd: string): void {
  const threads = defaultLintThreads();
  if (threads <= 1) return;
  const files = paths.flatMap((path) => {
    const full = resolve(cwd, path);
    // Missing or unreadable: the selection reports it.
    const info = statSync(full, { throwIfNoEntry: false });
    return info?.isDirectory()
      ? readdirSafe(full).map((name) => ({ path: join(full, name) }))
      : [{ path: full }];
  });
  if (atLeastBytes(files, PARALLEL_MIN_BYTES)) prestartWorkers(LINT_WORKER, threads - 1);
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
