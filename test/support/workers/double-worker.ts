/** A worker for the pool's tests: multiplies numbers, and fails on negative ones. */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../../../src/workers/serve-batches.js';

const { factor } = workerData as { factor: number };
serveBatches((batch: number[]) =>
  batch.map((n) => {
    if (n < 0) throw new Error(`negative input ${n}`);
    return n * factor;
  }),
);
