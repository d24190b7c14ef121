/** Worker-thread entry of `migrate lint` on many files: lints the batches the pool sends. */
import { poolData, serveBatches } from '../../workers/serve-batches.js';
import { loadParser } from '../parse-sql.js';
import type { WasmModule } from '../pg-parser.js';
import { type BatchFile, type BatchOptions, lintBatch } from './batch.js';

export interface LintWorkerData extends BatchOptions {
  /** The parser the main thread compiled. */
  parser: WasmModule;
}

// Given at start, or after it when the worker was started before the files were listed (prestart.ts).
const data = poolData<LintWorkerData>();
// Instantiated while the first batch is on its way; a failure surfaces in the batch that awaits the parser.
void data.then(({ parser }) => loadParser(parser)).catch(() => {});
serveBatches(async (batch: BatchFile[]) => {
  const { parser: _, ...options } = await data;
  return lintBatch(batch, options);
});
