/**
 * Rate limiting for the expensive pages (/metrics, /status) on a server whose event loop also times the probes:
 * concurrent requests, and requests within `reuseMs` of the last rendering, get that same rendering. However many
 * clients scrape, the work stays at one rendering per `reuseMs`, so a crowd cannot starve the prober into false
 * "down" samples.
 */
export function shareRecent<T>(render: () => Promise<T>, reuseMs: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = performance.now();
    if (last && now - last.at < reuseMs) return last.value;
    const value = render();
    const entry = { at: now, value };
    last = entry;
    // A failed rendering is not reused.
    value.catch(() => {
      if (last === entry) last = undefined;
    });
    return value;
  };
}
