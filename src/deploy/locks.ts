/** The environment lock: one per environment, held for the whole run including verification (unlike Kamal). */
import { hostname } from 'node:os';
import type { LockInfo, Store } from '../store/index.js';

export const lockName = (environment: string) => `deploy:${environment}`;

export function holderFor(runId: string): string {
  return `${runId} on ${hostname()} pid ${process.pid}`;
}

export function runIdOfHolder(holder: string): string {
  return holder.split(' ')[0] ?? holder;
}

/** True when the holder ran on this host and its process is gone: the run was killed. */
export function holderIsDead(lock: LockInfo): boolean {
  const m = / on (\S+) pid (\d+)$/.exec(lock.holder);
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function describeLock(
  store: Store,
  environment: string,
): Promise<{ lock: LockInfo; dead: boolean } | undefined> {
  const lock = await store.getLock(lockName(environment));
  return lock ? { lock, dead: holderIsDead(lock) } : undefined;
}
