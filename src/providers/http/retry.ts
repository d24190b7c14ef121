/** The wait a platform asks for in its rate-limit headers (the backoff itself is timing/backoff.ts). */

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
