/**
 * How many threads a scan uses by default, and starting its workers early: the secrets command starts them before the
 * scanner's modules load, so a worker's start (a fresh isolate and its modules, ~50 ms, far more on a loaded machine)
 * overlaps loading the rules and listing the files instead of following them.
 */
import { closeSync, type Dirent, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { usableCores } from '../../workers/cores.js';
import { prestartWorkers } from '../../workers/prestart.js';
import { inNodeModules, walksInto } from './files.js';

export const SCAN_WORKER = new URL('./worker.js', import.meta.url);

/**
 * Threads a large tree is scanned on: the main thread and one worker per further usable core. Measured on 2 cores at
 * load 8-10, the main thread alone took 0.70 s of CPU and 1.0-1.4 s, main thread and worker 0.89 s and 1.4-1.5 s.
 */
export function scanThreads(load?: number): number {
  return usableCores(load);
}

/**
 * A tree this large is scanned from the start on every core: the main thread (warm, its modules loaded) and one
 * worker per further core. On node_modules (2 cores) that costs 5-10% less CPU than two workers beside an idle main
 * thread, for the same or a shorter time. Smaller trees (a gate on an ordinary repository) scan in-process, where
 * starting threads would cost more than it saves.
 */
export const PARALLEL_MIN_FILES = 2000;

/**
 * For a scan of the folder `target`: `workers` is the count asked for (`--threads`), or by default one per core beyond
 * the main thread's. A guess made before the listing: a scan of a small tree discards them (scan.ts).
 */
export function prestartScanWorkers(target: string, workers = scanThreads() - 1): void {
  if (workers > 0 && statSync(target, { throwIfNoEntry: false })?.isDirectory() && !knownSmall(target))
    prestartWorkers(SCAN_WORKER, workers);
}

/**
 * Whether the tree is known to be smaller than a parallel scan needs, before anything is loaded. In a git repository
 * the index header says (the scan lists the tree with `git ls-files`, so it is no larger, untracked files aside):
 * 12 bytes read. A walked tree (node_modules, or no repository) is counted, stopping at the threshold: ~5 ms,
 * against a worker start of 15-20 ms that a scan of a small tree would throw away.
 */
function knownSmall(target: string): boolean {
  const walked = inNodeModules(target);
  const index = walked ? undefined : gitIndex(resolve(target));
  if (!index) return !hasFiles(target, PARALLEL_MIN_FILES, walked);
  try {
    const fd = openSync(index, 'r');
    const header = Buffer.alloc(12);
    try {
      if (readSync(fd, header, 0, 12, 0) < 12 || header.toString('latin1', 0, 4) !== 'DIRC') return false;
    } finally {
      closeSync(fd);
    }
    return header.readUInt32BE(8) < PARALLEL_MIN_FILES;
  } catch {
    return false;
  }
}

/**
 * At least `count` files under `dir`, counted until there are that many, in the folders the scan walks (files.ts).
 */
function hasFiles(dir: string, count: number, insideNodeModules: boolean): boolean {
  let files = 0;
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(next, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isFile() && ++files >= count) return true;
      if (entry.isDirectory() && walksInto(entry.name, insideNodeModules))
        pending.push(join(next, entry.name));
    }
  }
  return false;
}

/** The index file of the repository holding `dir`: `.git/index`, or in a worktree where its `.git` file points. */
function gitIndex(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const dotGit = join(at, '.git');
    const kind = statSync(dotGit, { throwIfNoEntry: false });
    if (kind?.isDirectory()) return join(dotGit, 'index');
    if (kind?.isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      return pointer ? join(resolve(at, pointer), 'index') : undefined;
    }
    if (dirname(at) === at) return undefined;
  }
}
