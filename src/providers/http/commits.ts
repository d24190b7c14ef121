/** Matching a deploy to a commit across platforms that report full SHAs while users type short ones. */
import { ProviderError } from '../../errors.js';
import type { ProviderContext, ProviderDeploy } from '../types.js';

/** Commits match when one is a prefix of the other (short and full SHAs), at 7 characters or more. */
export function sameCommit(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return Math.min(x.length, y.length) >= 7 && (x.startsWith(y) || y.startsWith(x));
}

export interface FollowCommitOptions<T> {
  provider: string;
  commit: string;
  ctx: ProviderContext;
  attempts: number;
  intervalMs: number;
  /** The platform's recent deploys (or builds). */
  recent: () => Promise<T[]>;
  commitOf: (item: T) => string | undefined;
  toDeploy: (item: T) => ProviderDeploy | Promise<ProviderDeploy>;
  /** For the message when none appears: what the platform calls it, where it was looked for, the likely cause. */
  what: string;
  where: string;
  hint: string;
}

/** The deploy a push started on the platform (auto-deploy), found by its commit; it may take a while to appear. */
export async function followCommit<T>(o: FollowCommitOptions<T>): Promise<ProviderDeploy> {
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    const found = (await o.recent()).find((item) => sameCommit(o.commitOf(item), o.commit));
    if (found) return o.toDeploy(found);
    if (attempt < o.attempts) await o.ctx.sleep(o.intervalMs);
  }
  throw new ProviderError(
    o.provider,
    `${o.provider}: no ${o.what} of commit ${o.commit.slice(0, 12)} appeared ${o.where} after ${o.attempts} checks; ${o.hint}`,
  );
}
