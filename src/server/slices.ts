/**
 * Long computations of the server in slices: /metrics at 20,000 monitors merges 100,000 sketches and renders
 * 140,000 lines, and the monitor engine shares the event loop with it: checks due meanwhile must not wait for
 * a whole scrape (it held the loop for about a second at once).
 */

/**
 * How long a slice may hold the event loop. Yielding after every few items instead made a scrape of a busy
 * engine take 25 s: each yield waits a whole turn of a loop full of checks and store writes. At 20,000 monitors
 * @ 10 s, scraped every 15 s, 15 ms slices against 40 ms: p99 interval error 192-313 ms in five runs of six
 * (one slow phase of the machine, 703 ms) against 357-745 ms, in scrapes no longer. 5 ms was worse again.
 */
const SLICE_MS = 15;

/** Lets timers and I/O due meanwhile run before the next slice of a long computation. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A turn-taker for a long loop: `await turn()` yields only once the current slice has used its time. */
export function createSlicer(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return yieldToEventLoop().then(() => {
      since = performance.now();
    });
  };
}
