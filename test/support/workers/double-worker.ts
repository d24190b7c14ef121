/** A worker for the pool's tests: multiplies numbers, and fails on negative ones. */
import { poolData, serveBatches } from '../../../src/workers/serve-batches.js';

// From workerData, or from the pool's first message when the worker was started before the pool.
const data = poolData<{ factor: number }>();
serveBatches(async (batch: number[]) => {
  const { factor } = await data;
  return batch.map((n) => {
    if (n < 0) throw new Error(`negative input ${n}`);
    return n * factor;
  });
});
