/**
 * Workers started before their pool exists, so that a worker's start (~100 ms: a fresh isolate, its modules, the WASM
 * instance) overlaps what the main thread does before the pool (loading the config, listing files) instead of
 * following it. A pool of the same entry claims them; the data it would have given at start comes as a message.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';

export interface Prestarted {
  worker: Worker;
  /** Messages the worker sent before it was claimed (its "ready"), to be handled in order by the claimer. */
  early: unknown[];
  error?: Error;
  exitCode?: number;
  /** Hands the worker over: the waiting listeners come off and the worker holds the process open again. */
  release(): void;
}

const waiting = new Map<string, Prestarted[]>();

export function prestartWorkers(entry: URL, count: number): void {
  const list = waiting.get(entry.href) ?? [];
  while (list.length < count) {
    const worker = startWorker(entry, undefined);
    const started: Prestarted = { worker, early: [], release: () => {} };
    const onMessage = (message: unknown) => started.early.push(message);
    const onError = (error: Error) => {
      started.error ??= error;
    };
    const onExit = (code: number) => {
      started.exitCode = code;
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // Unclaimed, it never keeps the process alive (a lint that fails on its config exits at once). After the
    // listeners: a 'message' listener refs the worker again.
    worker.unref();
    started.release = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      worker.ref();
    };
    list.push(started);
  }
  waiting.set(entry.href, list);
}

export function claimPrestarted(entry: URL): Prestarted | undefined {
  return waiting.get(entry.href)?.shift();
}

/** Stops the workers no pool claimed (fewer files than threads are worth). */
export async function discardPrestarted(entry: URL): Promise<void> {
  const list = waiting.get(entry.href) ?? [];
  waiting.delete(entry.href);
  await Promise.all(list.map((p) => p.worker.terminate()));
}
