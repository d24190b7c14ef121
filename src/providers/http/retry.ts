/** When to try again: exponential backoff with jitter, and the wait a platform asks for in its rate-limit headers. */

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/** Attempt 1 waits about base, attempt 2 about 2x base...; "equal jitter" keeps at least half the delay. */
export function computeBackoff(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * options.random());
}

/**
 * The wait a 429 asks for, in ms, or undefined when the response does not say. `Retry-After` (seconds or an
 * HTTP date) wins; otherwise the reset headers: Render sends `RateLimit-Reset`, Vercel and Railway
 * `X-RateLimit-Reset`. Their unit differs by platform (seconds to wait, or an epoch in seconds or ms), so
 * the magnitude decides.
 */
export function readRateLimitWait(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const reset = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
  if (reset === null) return undefined;
  const value = Number(reset);
  if (!Number.isFinite(value)) return undefined;
  if (value > 1e12) return Math.max(0, value - nowMs);
  if (value > 1e9) return Math.max(0, value * 1000 - nowMs);
  return Math.max(0, value * 1000);
}
