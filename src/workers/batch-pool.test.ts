import { describe, expect, it } from 'vitest';
import { createBatchPool } from './index.js';
import { claimPrestarted, discardPrestarted, prestartWorkers } from './prestart.js';

const entry = new URL('../../test/support/workers/double-worker.js', import.meta.url);

describe('createBatchPool', () => {
  it('returns each batch its own result in submission order, from workers and the main thread alike', async () => {
    const ran: string[] = [];
    const pool = createBatchPool<number[], number[]>({
      entry,
      workerData: { factor: 2 },
      workers: 2,
      runOnMain: (batch) => {
        ran.push('main');
        return batch.map((n) => n * 2);
      },
      name: 'test',
    });
    try {
      const batches = Array.from({ length: 40 }, (_, i) => [i, i + 100]);
      const results = await Promise.all(batches.map((b) => pool.run(b)));
      expect(results).toEqual(batches.map((b) => b.map((n) => n * 2)));
      expect(pool.workers).toBe(2);
      expect(ran.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it('rejects the batch a worker failed on with the worker error message', async () => {
    const pool = createBatchPool<number[], number[]>({
      entry,
      workerData: { factor: 2 },
      workers: 1,
      name: 'test',
    });
    try {
      await expect(pool.run([-1])).rejects.toThrow('negative input -1');
      await expect(pool.run([3])).resolves.toEqual([6]);
    } finally {
      await pool.close();
    }
  });

  it('with two batches held per worker, answers each its own, a failed one among them included', async () => {
    const pool = createBatchPool<number[], number[]>({
      entry,
      workerData: { factor: 3 },
      workers: 1,
      perWorker: 2,
      name: 'test',
    });
    try {
      const runs = [[1], [-2], [3], [4], [5]].map((b) => pool.run(b));
      await expect(runs[1]).rejects.toThrow('negative input -2');
      expect(await Promise.all([runs[0], runs[2], runs[3], runs[4]])).toEqual([[3], [9], [12], [15]]);
      expect(pool.pending).toBe(0);
    } finally {
      await pool.close();
    }
  });
});

describe('workers started before their pool', () => {
  it('are claimed by the pool of their entry and get its data as their first message', async () => {
    prestartWorkers(entry, 1);
    const pool = createBatchPool<number[], number[]>({
      entry,
      workerData: { factor: 5 },
      workers: 1,
      name: 'test',
    });
    try {
      // The worker reads its factor from the pool's first message: 5, not a default.
      expect(await pool.run([1, 2])).toEqual([5, 10]);
      expect(pool.workers).toBe(1);
      expect(claimPrestarted(entry)).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it('are stopped when no pool claims them', async () => {
    prestartWorkers(entry, 1);
    await discardPrestarted(entry);
    expect(claimPrestarted(entry)).toBeUndefined();
  });
});
