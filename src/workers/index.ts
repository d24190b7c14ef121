/** Worker threads: a batch pool the main thread works in too, and starting workers from built or source modules. */
export { type BatchPool, type BatchPoolOptions, createBatchPool } from './batch-pool.js';
export { serveBatches } from './serve-batches.js';
export { startWorker } from './start-worker.js';
