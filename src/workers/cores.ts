/** How many cores a command's threads can expect to get. */
import { availableParallelism, loadavg } from 'node:os';

/**
 * The cores a run can use: every core (up to 8), unless other work keeps them busy (a 1-minute load average of
 * cores + 1 or more, the run's own threads being worth about 1). Linux shares CPU time between sessions (autogroup),
 * not threads, so on a busy machine a second thread does not get the run more CPU time; it only adds its own start and
 * cold JIT (a quarter more CPU time for the secret scan of node_modules, measured on 2 cores at load 8-10). Windows
 * reports no load average: every core.
 */
export function usableCores(load = loadavg()[0] ?? 0): number {
  const cores = Math.min(availableParallelism(), 8);
  return load >= cores + 1 ? 1 : cores;
}
