import type { Diagnostic } from '../diagnostics/index.js';
import { discardPrestarted } from '../workers/prestart.js';
import {
  type BatchFile,
  type BatchOptions,
  type BatchResult,
  type LintedSummary,
  lintBatch,
} from './lint/batch.js';
import { atLeastBytes, defaultLintThreads, LINT_WORKER, PARALLEL_MIN_BYTES } from './lint/threads.js';
import type { LintWorkerData } from './lint/worker.js';
import { type LintSelectOptions, selectLintFiles } from './lint-select.js';
import { noFilesDiagnostic } from './no-files.js';
import { runnerTimeouts } from './options.js';
import { parserModule } from './pg-parser.js';
import { parsePgVersion } from './pg-version.js';

export interface LintFilesResult {
  files: LintedSummary[];
  diagnostics: Diagnostic[];
  /** Threads that linted: 1 is the main thread alone. */
  threads: number;
  /** Which files were linted, in words. */
  scope: string;
}

const FILES_PER_BATCH = 32;

export async function lintMigrationFiles(
  options: LintSelectOptions & { threads?: number },
): Promise<LintFilesResult> {
  const selection = await selectLintFiles(options);
  const { files } = selection;
  // Without a database there is no run: each file is linted on its own, so a table from an older file is not "new".
  const lintOptions: BatchOptions = {
    pg: parsePgVersion(options.postgresVersion),
    // An engine's own command applies the files and sets neither timeout: lint them as the plan does.
    runnerTimeouts:
      options.engine && options.engine !== 'sql'
        ? { lock: false, statement: false }
        : runnerTimeouts(options),
    ruleSeverity: options.ruleSeverity,
    maxFileBytes: options.maxFileBytes,
  };
  const batches: BatchFile[][] = [];
  for (let i = 0; i < files.length; i += FILES_PER_BATCH) batches.push(files.slice(i, i + FILES_PER_BATCH));
  const threads = options.threads ?? defaultLintThreads();
  let results: BatchResult[];
  let used = 1;
  // Threads asked for are used; by default only a lint with enough SQL to pay for a worker's start uses them.
  if (threads <= 1 || (options.threads === undefined && !atLeastBytes(files, PARALLEL_MIN_BYTES))) {
    // Workers started on a guess (threads.ts) are not needed after all.
    void discardPrestarted(LINT_WORKER);
    results = [];
    for (const batch of batches) results.push(await lintBatch(batch, lintOptions));
  } else {
    // Loaded only here: a lint of a few files never starts a thread.
    const { createBatchPool } = await import('../workers/index.js');
    const pool = createBatchPool<BatchFile[], BatchResult>({
      entry: LINT_WORKER,
      // The module the main thread compiled: a worker instantiates it instead of compiling its own.
      workerData: { ...lintOptions, parser: await parserModule() } satisfies LintWorkerData,
      workers: threads - 1,
      perWorker: 2,
      runOnMain: (batch) => lintBatch(batch, lintOptions),
      signal: options.signal,
      name: 'migration linter',
    });
    try {
      results = await Promise.all(batches.map((batch) => pool.run(batch)));
      used = 1 + pool.workers;
    } finally {
      await Promise.all([pool.close(), discardPrestarted(LINT_WORKER)]);
    }
  }
  return {
    files: results.flatMap((r) => r.files),
    scope: selection.scope,
    diagnostics: [
      ...noFilesDiagnostic(selection.candidates, selection.where, selection.layout),
      ...selection.diagnostics,
      ...results.flatMap((r) => r.refused),
      ...results.flatMap((r) => r.diagnostics),
    ],
    threads: used,
  };
}
