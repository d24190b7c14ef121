/** The one JSON POST every HTTP channel makes: a 10 s timeout, and 429 / 5xx / network errors marked retryable. */
import type { ChannelContext } from './types.js';

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
  const excerpt = (await response.text().catch(() => '')).slice(0, 200);
  if (response.status === 429 || response.status >= 500)
    throw new RetryableError(`HTTP ${response.status} ${excerpt}`);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${excerpt}`);
}
