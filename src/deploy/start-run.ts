/**
 * Taking the environment lock and opening the run's journal, in that order: a deploy that loses the lock race
 * records nothing, and a resumed run takes back its own lock only from a process that is gone.
 */
import { UserError } from '../errors.js';
import { type JsonValue, type LockInfo, newRunId, type RunRecord, type Store } from '../store/index.js';
import type { RunDeployOptions } from './context.js';
import { createJournal, type DeployState, type Journal, readState } from './journal.js';
import { holderFor, holderIsDead, lockName } from './locks.js';
import type { DeployPlan } from './plan.js';

/** A run cut short (its process gone while running, or interrupted) or paused for a person: `--resume` continues it. */
export const isResumable = (status: string): boolean => ['running', 'interrupted', 'paused'].includes(status);

/** The run a resume continues, checked before anything changes. */
export async function resumableRun(
  store: Store,
  runId: string,
): Promise<{ run: RunRecord; state: DeployState }> {
  const run = await store.getRun(runId);
  const state = run && readState(run);
  if (!run || !state) throw new UserError(`no deployment run ${runId}`, "see 'opsbook log' for run ids");
  if (!isResumable(run.status))
    throw new UserError(
      `run ${run.id} is ${run.status}; only interrupted or paused runs resume`,
      'start a new deploy instead',
    );
  return { run, state };
}

/** A new run's state: created under the lock it just took, so it starts `locked` (one write, not two). */
function freshState(options: RunDeployOptions, plan: DeployPlan, now: () => number): DeployState {
  const at = new Date(now()).toISOString();
  return {
    plan,
    phase: 'locked',
    ...(options.version ? { version: options.version } : {}),
    actor: options.actor,
    commit: options.commit ?? null,
    commitRange: options.commitRange ?? [],
    services: Object.fromEntries(
      plan.groups.flat().map((s) => [
        s,
        {
          state: 'pending',
          previous: null,
          deploy: null,
          rollback: null,
          successLines: [],
          troubleLines: [],
        },
      ]),
    ),
    times: { requestedAt: at, ...(plan.announce?.events.includes('start') ? { announcedAt: at } : {}) },
    downtimeMs: 0,
    announcements: [],
    externalMs: 0,
  };
}

/** `fresh`: the run was created now (and is to announce its start), not resumed. */
export type Started = { journal: Journal; holder: string; fresh: boolean } | { heldBy: LockInfo };

/** Locks the environment, then creates (or reopens) the run; `heldBy` when someone else holds the lock. */
export async function lockAndStart(
  options: RunDeployOptions,
  plan: DeployPlan,
  resumed: { run: RunRecord; state: DeployState } | undefined,
  now: () => number,
): Promise<Started> {
  const { store } = options;
  const runId = resumed?.run.id ?? newRunId(now());
  const holder = holderFor(runId);
  const name = lockName(plan.environment);
  const lock = await store.acquireLock(name, {
    holder,
    reason: `deploy ${runId} by ${options.actor}${resumed ? ' (resumed)' : ''}`,
  });
  if (!lock.acquired) {
    if (!resumed || !lock.heldBy.holder.startsWith(`${runId} `)) return { heldBy: lock.heldBy };
    // Our own run's lock. A paused or interrupted run ended its process's work; a `running` one is taken back
    // only when the process that held it is gone (killed), never from a live run.
    if (resumed.run.status === 'running' && !holderIsDead(lock.heldBy))
      throw new UserError(
        `run ${runId} is still running (${lock.heldBy.holder})`,
        'wait for it to finish, or stop that process first',
      );
    await store.forceReleaseLock(name);
    const again = await store.acquireLock(name, {
      holder,
      reason: `deploy ${runId} by ${options.actor} (resumed)`,
    });
    if (!again.acquired) return { heldBy: again.heldBy };
  }
  try {
    if (resumed) {
      await store.updateRun(runId, { status: 'running' });
      return {
        journal: createJournal(
          store,
          { ...resumed.run, status: 'running' },
          resumed.state,
          options.checkpoint,
        ),
        holder,
        fresh: false,
      };
    }
    const state = freshState(options, plan, now);
    const run = await store.createRun({
      id: runId,
      kind: 'deploy',
      environment: plan.environment,
      actor: options.actor,
      summary: state as unknown as JsonValue,
    });
    const journal = createJournal(store, run, state, options.checkpoint);
    journal.checkpoint('phase:locked');
    return { journal, holder, fresh: true };
  } catch (error) {
    if (!resumed) await store.releaseLock(name, holder).catch(() => undefined);
    throw error;
  }
}
