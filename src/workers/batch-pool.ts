/**
 * Spreads batches of work over worker threads, one batch per idle worker, with the main thread taking batches too
 * (it is already warm, and a fresh isolate needs tens of ms to start). Results come back per batch, in the order
 * the batches were submitted, whichever thread ran them.
 */
import type { Worker } from 'node:worker_threads';
import { claimPrestarted } from './prestart.js';
import { startWorker } from './start-worker.js';

export interface BatchPoolOptions<B, R> {
  /** The built worker module; it calls `serveBatches`. */
  entry: URL;
  workerData: unknown;
  workers: number;
  /** Runs one batch on the main thread; without it only workers run batches. */
  runOnMain?: (batch: B) => R | Promise<R>;
  /** With the main thread working, workers start only if work is still queued after this long. */
  deferWorkersMs?: number;
  /**
   * Batches handed to each worker before it answers (default 1). A worker's answer is only read when the main thread
   * is between batches of its own, so with 1 a worker that finishes first waits idle for the main thread; with 2 it
   * starts on the next batch at once.
   */
  perWorker?: number;
  signal?: AbortSignal;
  /** Names the pool in errors, e.g. "secret scanner". */
  name: string;
}

export interface BatchPool<B, R> {
  run(batch: B): Promise<R>;
  /** Worker threads started so far. */
  readonly workers: number;
  /** Batches submitted and not yet finished. */
  readonly pending: number;
  close(): Promise<void>;
}

interface Job<B, R> {
  id: number;
  batch: B;
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

export function createBatchPool<B, R>(options: BatchPoolOptions<B, R>): BatchPool<B, R> {
  /** The batches each ready worker holds, oldest first. */
  const held = new Map<Worker, Job<B, R>[]>();
  const perWorker = Math.max(1, options.perWorker ?? 1);
  const queue: Job<B, R>[] = [];
  const workers: Worker[] = [];
  let mainBusy = false;
  let nextId = 0;
  let failure: Error | undefined;
  let closed = false;

  const fail = (error: Error) => {
    failure ??= error;
    for (const job of [...queue, ...[...held.values()].flat()]) job.reject(failure);
    queue.length = 0;
    for (const jobs of held.values()) jobs.length = 0;
  };
  const runOnMain = async () => {
    const job = queue.shift();
    if (job && options.runOnMain) {
      try {
        job.resolve(await options.runOnMain(job.batch));
      } catch (error) {
        job.reject(error as Error);
      }
    }
    mainBusy = false;
    dispatch();
  };
  const dispatch = () => {
    // Every worker gets one batch before any gets a second.
    for (let depth = 1; depth <= perWorker && queue.length; depth++) {
      for (const [worker, jobs] of held) {
        if (jobs.length >= depth || !queue.length) continue;
        const job = queue.shift() as Job<B, R>;
        jobs.push(job);
        worker.postMessage({ id: job.id, batch: job.batch });
      }
    }
    // One batch at a time on the main thread, yielding between batches so worker results keep flowing.
    if (options.runOnMain && queue.length && !mainBusy) {
      mainBusy = true;
      setImmediate(runOnMain);
    }
  };
  const spawn = () => {
    if (closed || failure || workers.length || queue.length === 0) return;
    for (let i = 0; i < options.workers; i++) {
      const early = claimPrestarted(options.entry);
      const worker = early?.worker ?? startWorker(options.entry, options.workerData);
      // A worker started before the pool gets the pool's data as its first message (serveBatches' poolData).
      if (early) worker.postMessage({ init: options.workerData });
      const onMessage = (message: { ready?: true; id?: number; result?: R; error?: string }) => {
        // A worker takes work only once it is ready, so a slow start never holds a batch hostage.
        if (message.ready) held.set(worker, []);
        const jobs = held.get(worker) ?? [];
        const at = jobs.findIndex((j) => j.id === message.id);
        const job = at === -1 ? undefined : jobs.splice(at, 1)[0];
        if (job) {
          if (message.error !== undefined) job.reject(new Error(message.error));
          else job.resolve(message.result as R);
        }
        dispatch();
      };
      const onExit = (code: number) => {
        if (code !== 0 && !closed) fail(new Error(`${options.name} worker exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('error', (error) => fail(error));
      worker.on('exit', onExit);
      workers.push(worker);
      if (early) {
        early.release();
        if (early.error) fail(early.error);
        else if (early.exitCode !== undefined) onExit(early.exitCode);
        else for (const message of early.early) onMessage(message as Parameters<typeof onMessage>[0]);
      }
    }
  };
  const defer = options.runOnMain ? (options.deferWorkersMs ?? 0) : 0;
  const deadline = performance.now() + defer;
  const timer = defer > 0 ? setTimeout(spawn, defer) : undefined;
  timer?.unref();
  options.signal?.addEventListener('abort', () => fail(new Error('interrupted')), { once: true });

  return {
    get workers() {
      return workers.length;
    },
    get pending() {
      let holding = 0;
      for (const jobs of held.values()) holding += jobs.length;
      return queue.length + holding + (mainBusy ? 1 : 0);
    },
    run(batch) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, batch, resolve, reject });
        // Streamed work may find the queue empty when the timer fires, so later batches check again.
        if (performance.now() >= deadline && options.workers > 0) spawn();
        dispatch();
      });
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
