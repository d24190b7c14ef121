/** Worker-thread entry of `migrate lint` on many files: lints the batches the pool sends. */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../../workers/index.js';
import { type BatchFile, type BatchOptions, lintBatch } from './batch.js';

const options = workerData as BatchOptions;
serveBatches((batch: BatchFile[]) => lintBatch(batch, options));
