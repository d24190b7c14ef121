/** Worker-thread entry of `migrate lint` on many files: lints the batches the pool sends. */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../../workers/serve-batches.js';
import { loadParser } from '../parse-sql.js';
import type { WasmModule } from '../pg-parser.js';
import { type BatchFile, type BatchOptions, lintBatch } from './batch.js';

export interface LintWorkerData extends BatchOptions {
  /** The parser the main thread compiled. */
  parser: WasmModule;
}

const { parser, ...options } = workerData as LintWorkerData;
// Instantiated while the first batch is on its way.
void loadParser(parser).catch(() => {}); // a failure surfaces in the batch that awaits the parser
serveBatches((batch: BatchFile[]) => lintBatch(batch, options));
