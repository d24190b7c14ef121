/**
 * Long computations of the server in slices: /metrics at 20,000 monitors merges 100,000 sketches and renders
 * 140,000 lines, and the monitor engine shares the event loop with it: checks due meanwhile must not wait for
 * a whole scrape (it held the loop for about a second at once).
 */

/** Lets timers and I/O due meanwhile run before the next slice of a long computation. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `items.map(fn)`, handing the event loop back every `slice` items. */
export async function mapInSlices<T, R>(
  items: readonly T[],
  fn: (item: T) => R,
  slice = 2_000,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    out.push(fn(items[i]!));
    if ((i + 1) % slice === 0) await yieldToEventLoop();
  }
  return out;
}
