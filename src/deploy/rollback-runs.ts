/** Rollback runs that a kill cut short, and the services a run switched auto-deploy off for. */
import type { RunRecord, Store } from '../store/index.js';
import { readState } from './journal.js';
import { holderIsDead, lockName, runIdOfHolder } from './locks.js';

/**
 * The environment's latest rollback run if it never finished: `interrupted`, or `running` while no live
 * process holds the lock for it.
 */
export async function cutShortRollback(store: Store, environment: string): Promise<RunRecord | undefined> {
  const [last] = await store.listRuns({ kind: 'rollback', environment, limit: 1 });
  if (!last || !['running', 'interrupted'].includes(last.status)) return undefined;
  if (last.status === 'interrupted') return last;
  const lock = await store.getLock(lockName(environment));
  const alive = lock && runIdOfHolder(lock.holder) === last.id && !holderIsDead(lock);
  return alive ? undefined : last;
}

/** What a run switched auto-deploy off for: an automatic rollback records it in events, a manual one in its summary. */
export async function autoDeployTurnedOff(store: Store, run: RunRecord): Promise<string[]> {
  if (run.kind === 'rollback') {
    const off = (run.summary as { autoDeployOff?: unknown } | null)?.autoDeployOff;
    return Array.isArray(off) ? off.filter((s): s is string => typeof s === 'string') : [];
  }
  if (!readState(run)) return [];
  const events = await store.listEvents(run.id);
  return events
    .filter((e) => e.type === 'autodeploy.disabled')
    .map((e) => (e.data as { service?: string } | null)?.service)
    .filter((s): s is string => typeof s === 'string');
}
