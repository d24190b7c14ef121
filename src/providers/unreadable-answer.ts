/**
 * The platform adapters read the platforms' JSON answers without a schema. An answer that lacks what they read (an
 * empty 200, `{}` where a list belongs, a date that is not one) is the platform's fault, so it is reported as a
 * ProviderError (exit 3, which call, what was wrong) rather than as a crash of opsbook with a stack trace.
 */
import { ProviderError } from '../errors.js';
import type { Provider } from './types.js';

export function reportUnreadableAnswers(provider: Provider): Provider {
  const guarded: Record<string, unknown> = { ...provider };
  for (const [name, value] of Object.entries(provider)) {
    if (typeof value !== 'function') continue;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await value.apply(provider, args);
      } catch (error) {
        if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
        // A fetch outside the API client (a log stream URL the platform handed out) fails with a TypeError too.
        const unreachable = error.message === 'fetch failed';
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new ProviderError(
          provider.type,
          unreachable
            ? `${provider.type}: ${name} could not reach the platform (fetch failed${cause})`
            : `${provider.type}: ${name} got an answer from the platform that opsbook cannot read (${error.message}); if the platform's API is up, this is an opsbook bug to report`,
        );
      }
    };
  }
  return guarded as unknown as Provider;
}
