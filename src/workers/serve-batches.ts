/** The worker side of `createBatchPool`: answers each batch with its result, or with the error's message. */
import { parentPort } from 'node:worker_threads';

export function serveBatches<B, R>(run: (batch: B) => R | Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('serveBatches runs only in a worker thread');
  port.postMessage({ ready: true });
  port.on('message', async (message: { id: number; batch: B }) => {
    try {
      port.postMessage({ id: message.id, result: await run(message.batch) });
    } catch (error) {
      port.postMessage({ id: message.id, error: (error as Error).message });
    }
  });
}
