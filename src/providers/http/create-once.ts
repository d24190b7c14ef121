/**
 * Creating something exactly once over an unreliable network. A "create deploy" POST that times out may have
 * created the deploy anyway; sending it again would ship twice. So: note what exists first, and when the
 * outcome is unknown, look for the new item before creating again.
 */
import type { ProviderContext } from '../types.js';
import { OutcomeUnknownError } from './errors.js';

export interface CreateOnceOptions<T> {
  /** What is being created, for progress notes: `deploy`, `rollback`. */
  what: string;
  /** The newest items, newest first (one page is enough: a new item lands at the top). */
  listRecent: () => Promise<T[]>;
  idOf: (item: T) => string;
  /** Whether a new item is the one this create would have made (same commit, trigger `rollback`...). */
  matches: (item: T) => boolean;
  create: () => Promise<T>;
  ctx: ProviderContext;
  /** Looks for the item this many times, `checkIntervalMs` apart, before concluding the create did not land. */
  checks?: number;
  checkIntervalMs?: number;
  maxCreates?: number;
}

export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  const { ctx, what } = options;
  const checks = options.checks ?? 3;
  const maxCreates = options.maxCreates ?? 3;
  const known = new Set((await options.listRecent()).map(options.idOf));

  for (let round = 1; ; round++) {
    try {
      return await options.create();
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) throw error;
      ctx.log(`${error.message}; checking whether the ${what} exists before trying again`);
      for (let check = 0; check < checks; check++) {
        await ctx.sleep(options.checkIntervalMs ?? 2_000);
        const found = (await options.listRecent()).find(
          (item) => !known.has(options.idOf(item)) && options.matches(item),
        );
        if (found) {
          ctx.log(`found the ${what} the unanswered request created: ${options.idOf(found)}`);
          return found;
        }
      }
      if (round >= maxCreates) throw error;
      ctx.log(`no ${what} was created; sending the request again`);
    }
  }
}
