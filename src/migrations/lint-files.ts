/** `migrate lint`: lint files or folders with no database, each file as opsbook would run it. */
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { createBatchPool } from '../workers/index.js';
import { compareVersions } from './files.js';
import {
  type BatchFile,
  type BatchOptions,
  type BatchResult,
  type LintedSummary,
  lintBatch,
} from './lint/batch.js';
import { noFilesDiagnostic } from './no-files.js';
import { DEFAULTS, type MigrateOptions, runnerTimeouts } from './options.js';
import { parsePgVersion } from './pg-version.js';

export interface LintFilesResult {
  files: LintedSummary[];
  diagnostics: Diagnostic[];
  /** Threads that linted: 1 is the main thread alone. */
  threads: number;
}

const FILES_PER_BATCH = 32;
/**
 * Below this many files one thread is faster: a worker needs ~130 ms to start and load the WASM parser, about as
 * long as linting 150 files takes.
 */
const PARALLEL_MIN_FILES = 200;

export async function lintMigrationFiles(
  options: MigrateOptions & { paths?: string[]; threads?: number },
): Promise<LintFilesResult> {
  const paths = options.paths?.length ? options.paths : [options.dir ?? DEFAULTS.dir];
  const files: BatchFile[] = [];
  for (const p of paths)
    for (const path of await expand(resolve(options.cwd, p), options.cwd))
      files.push({ file: relative(options.cwd, path) || path, path });
  // Without a database there is no run: each file is linted on its own, so a table from an older file is not "new".
  const lintOptions: BatchOptions = {
    pg: parsePgVersion(options.postgresVersion),
    runnerTimeouts: runnerTimeouts(options),
    ruleSeverity: options.ruleSeverity,
    maxFileBytes: options.maxFileBytes,
  };
  const batches: BatchFile[][] = [];
  for (let i = 0; i < files.length; i += FILES_PER_BATCH) batches.push(files.slice(i, i + FILES_PER_BATCH));
  const threads = options.threads ?? Math.min(availableParallelism(), 8);
  let results: BatchResult[];
  let used = 1;
  if (threads <= 1 || files.length < PARALLEL_MIN_FILES) {
    results = [];
    for (const batch of batches) results.push(await lintBatch(batch, lintOptions));
  } else {
    const pool = createBatchPool<BatchFile[], BatchResult>({
      entry: new URL('./lint/worker.js', import.meta.url),
      workerData: lintOptions,
      workers: threads - 1,
      runOnMain: (batch) => lintBatch(batch, lintOptions),
      signal: options.signal,
      name: 'migration linter',
    });
    try {
      results = await Promise.all(batches.map((batch) => pool.run(batch)));
      used = 1 + pool.workers;
    } finally {
      await pool.close();
    }
  }
  return {
    files: results.flatMap((r) => r.files),
    diagnostics: [
      ...noFilesDiagnostic(files.length, paths.join(', ')),
      ...results.flatMap((r) => r.refused),
      ...results.flatMap((r) => r.diagnostics),
    ],
    threads: used,
  };
}

async function expand(path: string, cwd: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new UserError(
      `no such file or folder: ${relative(cwd, path) || path}`,
      'pass .sql files or folders of them',
    );
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.sql'));
  const version = (n: string) => /^\d+/.exec(n)?.[0];
  names.sort((a, b) => {
    const [va, vb] = [version(a), version(b)];
    return va && vb ? compareVersions(va, vb) || a.localeCompare(b) : a.localeCompare(b);
  });
  return names.map((n) => join(path, n));
}
