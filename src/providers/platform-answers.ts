/**
 * What the platform adapters hand the core, made safe: they read the platforms' JSON answers without a schema, and
 * print what a platform wrote (log lines, failure reasons, error messages) on the user's terminal.
 */
import { ProviderError, UserError } from '../errors.js';
import { terminalSafe } from '../output/index.js';
import type { LogLine, Provider, ProviderDeploy } from './types.js';

const safeDeploy = (d: ProviderDeploy): ProviderDeploy =>
  d && typeof d === 'object'
    ? {
        ...d,
        ...(typeof d.reason === 'string' ? { reason: terminalSafe(d.reason) } : {}),
        ...(typeof d.trigger === 'string' ? { trigger: terminalSafe(d.trigger) } : {}),
      }
    : d;
const safeLines = (page: { lines: LogLine[]; cursor?: string }) =>
  page && Array.isArray(page.lines)
    ? { ...page, lines: page.lines.map((l) => ({ ...l, text: terminalSafe(String(l.text ?? '')) })) }
    : page;

const RESULTS: Record<string, (result: never) => unknown> = {
  deploy: safeDeploy,
  getDeploy: safeDeploy,
  rollback: safeDeploy,
  listDeploys: (list: ProviderDeploy[]) => (Array.isArray(list) ? list.map(safeDeploy) : list),
  logs: safeLines,
  serviceLogs: safeLines,
};

/**
 * Wraps a platform adapter: an answer that lacks what it reads (an empty 200, `{}` where a list belongs, a date that
 * is not one) is the platform's fault, reported as a ProviderError (exit 3, which call, what was wrong) rather than
 * as a crash with a stack trace; and the platform's text in results and errors is made terminal-safe.
 */
export function guardPlatformAnswers(provider: Provider): Provider {
  const guarded: Record<string, unknown> = { ...provider };
  for (const [name, value] of Object.entries(provider)) {
    if (typeof value !== 'function') continue;
    guarded[name] = async (...args: unknown[]) => {
      let result: unknown;
      try {
        result = await value.apply(provider, args);
      } catch (error) {
        if (!(error instanceof TypeError || error instanceof RangeError)) {
          // Only opsbook's own errors carry platform text (an abort's DOMException has a read-only message).
          if (error instanceof ProviderError || error instanceof UserError)
            error.message = terminalSafe(error.message);
          throw error;
        }
        // A fetch outside the API client (a log stream URL the platform handed out) fails with a TypeError too.
        const unreachable = error.message === 'fetch failed';
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new ProviderError(
          provider.type,
          terminalSafe(
            unreachable
              ? `${provider.type}: ${name} could not reach the platform (fetch failed${cause})`
              : `${provider.type}: ${name} got an answer from the platform that opsbook cannot read (${error.message}); if the platform's API is up, this is an opsbook bug to report`,
          ),
        );
      }
      const safe = RESULTS[name];
      return safe ? safe(result as never) : result;
    };
  }
  return guarded as unknown as Provider;
}
