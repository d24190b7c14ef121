/** The worker side of `createBatchPool`: answers each batch with its result, or with the error's message. */
import { parentPort, workerData } from 'node:worker_threads';

let receiveInit: (data: unknown) => void = () => {};
const init = new Promise<unknown>((resolve) => {
  receiveInit = resolve;
});

/**
 * The pool's `workerData`: given at start, or, for a worker started before its pool (prestart.ts), the pool's first
 * message. Only for workers that call `serveBatches`, which receives that message.
 */
export function poolData<D>(): Promise<D> {
  return (workerData === undefined || workerData === null ? init : Promise.resolve(workerData)) as Promise<D>;
}

export function serveBatches<B, R>(run: (batch: B) => R | Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('serveBatches runs only in a worker thread');
  port.postMessage({ ready: true });
  port.on('message', async (message: { id: number; batch: B } | { init: unknown }) => {
    if ('init' in message) {
      receiveInit(message.init);
      return;
    }
    try {
      port.postMessage({ id: message.id, result: await run(message.batch) });
    } catch (error) {
      port.postMessage({ id: message.id, error: (error as Error).message });
    }
  });
}
