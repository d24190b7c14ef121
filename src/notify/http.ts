/** The one JSON POST every HTTP channel makes: a 10 s timeout, and 429 / 5xx / network errors marked retryable. */
import type { ChannelContext } from './types.js';

/** A channel's answer matters only for its status and an excerpt; a hostile one must not fill memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** A failure worth trying again later: the network, a rate limit, a server error. */
export class RetryableError extends Error {}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  ctx: ChannelContext,
): Promise<void> {
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
  } catch (error) {
    throw new RetryableError(`request failed: ${(error as Error).message}`);
  }
  const excerpt = (await readBounded(response)).slice(0, 200);
  if (response.status === 429 || response.status >= 500)
    throw new RetryableError(`HTTP ${response.status} ${excerpt}`);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${excerpt}`);
}

/**
 * At most MAX_RESPONSE_BYTES of the body, counted after decompression, then the rest is cancelled: a gzip bomb
 * is decompressed only as far as it is read.
 */
async function readBounded(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off half-way still has its status; what was read is the excerpt.
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
}
