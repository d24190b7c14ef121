/** A fixed-window request limit per client: enough to stop token guessing and runaway scripts on one instance. */

export interface RateLimiter {
  /** True when the request may go ahead. */
  allow(client: string, now: number): boolean;
}

export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const counts = new Map<string, { start: number; n: number }>();
  return {
    allow(client, now) {
      const c = counts.get(client);
      if (!c || now - c.start >= windowMs) {
        // Forget stale clients now and then so the map stays small.
        if (counts.size > 10_000)
          for (const [k, v] of counts) if (now - v.start >= windowMs) counts.delete(k);
        counts.set(client, { start: now, n: 1 });
        return true;
      }
      c.n++;
      return c.n <= limit;
    },
  };
}
