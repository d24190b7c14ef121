/**
 * Spreads task batches over worker threads, one batch per idle worker, or runs them in-process for small scans where
 * starting threads costs more than it saves. Under tsx/vitest the worker is the .ts source, loaded through tsx.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CompiledRuleSet, compileRuleSet } from './compile.js';
import { runTask, type ScanTask, type TaskResult } from './task.js';
import type { RuleSet } from './types.js';

export interface ScanPool {
  readonly workers: number;
  /** Whether the main thread scans too. */
  readonly mainThread: boolean;
  run(tasks: ScanTask[]): Promise<TaskResult[]>;
  /** Batches submitted and not yet finished. */
  readonly pending: number;
  close(): Promise<void>;
}

interface Job {
  id: number;
  tasks: ScanTask[];
  resolve: (results: TaskResult[]) => void;
  reject: (error: Error) => void;
}

/**
 * Built, the worker is dist/.../worker.js. From source (tsx, vitest) it is worker.ts, and loader hooks do not reach
 * worker threads on Node 20, so a small bootstrap registers tsx inside the worker before importing it.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  // tsx's ESM api (the .mjs twin of what require resolves); register() installs its hooks for this thread.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

function createInProcessPool(ruleSet: RuleSet, maxBytes: number): ScanPool {
  const set = compileRuleSet(ruleSet);
  return {
    workers: 0,
    mainThread: true,
    pending: 0,
    run: async (tasks) => tasks.map((task) => runTask(set, task, maxBytes)),
    close: async () => {},
  };
}

export interface PoolOptions {
  workers: number;
  /**
   * The main thread takes batches too, and workers start only if work is still queued after `deferWorkersMs`: a new
   * isolate needs a few hundred ms to start and warm up, more than a small scan takes on one thread.
   */
  mainThread: boolean;
  deferWorkersMs?: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export function createPool(ruleSet: RuleSet, options: PoolOptions): ScanPool {
  if (options.workers <= 0) return createInProcessPool(ruleSet, options.maxBytes);
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const queue: Job[] = [];
  let mainSet: CompiledRuleSet | undefined;
  let mainBusy = false;
  let nextId = 0;
  let failure: Error | undefined;
  let closed = false;

  const fail = (error: Error) => {
    failure ??= error;
    for (const job of [...queue, ...busy.values()]) job.reject(failure);
    queue.length = 0;
    busy.clear();
  };
  const runOnMain = () => {
    mainBusy = false;
    const job = queue.shift();
    if (!job) return;
    mainSet ??= compileRuleSet(ruleSet);
    const set = mainSet;
    try {
      job.resolve(job.tasks.map((task) => runTask(set, task, options.maxBytes)));
    } catch (error) {
      job.reject(error as Error);
    }
    dispatch();
  };
  const dispatch = () => {
    while (idle.length && queue.length) {
      const worker = idle.pop() as Worker;
      const job = queue.shift() as Job;
      busy.set(worker, job);
      worker.postMessage({ id: job.id, tasks: job.tasks });
    }
    // One batch at a time on the main thread, yielding between batches so worker results keep flowing.
    if (options.mainThread && queue.length && !mainBusy) {
      mainBusy = true;
      setImmediate(runOnMain);
    }
  };
  const workers: Worker[] = [];
  const spawn = () => {
    if (closed || failure || workers.length || queue.length === 0) return;
    for (let i = 0; i < options.workers; i++) {
      const worker = startWorker({ ruleSet, maxBytes: options.maxBytes });
      worker.on('message', (message: { ready?: true; id?: number; results?: TaskResult[] }) => {
        // A worker takes work only once it has compiled the rules, so a slow start never holds a batch hostage.
        const job = busy.get(worker);
        busy.delete(worker);
        idle.push(worker);
        if (job && job.id === message.id && message.results) job.resolve(message.results);
        dispatch();
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !closed) fail(new Error(`secret scanner worker exited with code ${code}`));
      });
      workers.push(worker);
    }
  };
  const defer = options.mainThread ? (options.deferWorkersMs ?? 0) : 0;
  const deadline = performance.now() + defer;
  const timer = defer > 0 ? setTimeout(spawn, defer) : undefined;
  timer?.unref();
  options.signal?.addEventListener('abort', () => fail(new Error('interrupted')), { once: true });

  return {
    get workers() {
      return workers.length;
    },
    mainThread: options.mainThread,
    get pending() {
      return queue.length + busy.size;
    },
    run(tasks) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, tasks, resolve, reject });
        // Streamed work (history) may find the queue empty when the timer fires, so later batches check again.
        if (performance.now() >= deadline) spawn();
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
