/**
 * Starts a worker thread on a module next to the caller. Built, that is the .js file; from source (tsx, vitest) it is
 * the .ts twin, and loader hooks do not reach worker threads on Node 20, so a small bootstrap registers tsx inside
 * the worker before importing it.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `entry` is the built module's URL, e.g. `new URL('./worker.js', import.meta.url)`. */
export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.js') || !import.meta.url.endsWith('.ts'))
    return new Worker(entry, { workerData });
  // tsx's ESM api (the .mjs twin of what require resolves); register() installs its hooks for this thread.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const source = entry.href.replace(/\.js$/, '.ts');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
