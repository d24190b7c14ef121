/** A failed deploy: decide by the rollback criteria, roll back (or not), keep or release the lock, announce. */
import type { Announcer } from './announce.js';
import { decideRollback } from './criteria.js';
import { lockName } from './locks.js';
import type { PhaseContext } from './phase.js';
import type { DeployResult, DeployStatus } from './result.js';
import { rollbackServices } from './rollback.js';

export interface FailureContext extends PhaseContext {
  sleep: (ms: number) => Promise<void>;
  announcer: Announcer;
  holder: string;
  result: (status: DeployStatus, message: string, locked: boolean) => DeployResult;
}

export async function handleFailure(
  ctx: FailureContext,
  trigger: string,
  reason: string,
  failingChecks: string[],
): Promise<DeployResult> {
  const { options, journal, now, announcer, holder, result } = ctx;
  const { config, store } = options;
  const { state } = journal;
  const plan = state.plan;
  state.failure = { trigger, reason };
  state.times.failedAt ??= new Date(now()).toISOString();
  await journal.event('error', 'deploy.failed', reason, { trigger });
  const anyLive = Object.values(state.services).some((s) => s.deploy?.state === 'live' && s.previous);
  // Live without a release before it (a first deploy, or the earlier release no longer ran): nothing to roll back to,
  // and the release that failed serves. Saying "nothing went live" then hid a broken release in production.
  const stranded = Object.entries(state.services)
    .filter(([, s]) => s.deploy?.state === 'live' && !s.previous)
    .map(([name]) => name);
  const decision = anyLive
    ? decideRollback(config, {
        trigger,
        failingChecks,
        troubleLines: Object.values(state.services).flatMap((s) => s.troubleLines),
      })
    : stranded.length
      ? {
          action: 'ignore' as const,
          because: `${stranded.join(', ')} went live and still ${stranded.length > 1 ? 'serve' : 'serves'}: no release served before, so there is nothing to roll back to; fix forward, or 'opsbook rollback --env ${plan.environment}' to the last verified-good deploy`,
        }
      : {
          action: 'ignore' as const,
          because: Object.values(state.services).some((s) => s.previous)
            ? 'nothing went live, the previous release still serves'
            : 'nothing went live, and no release served before it',
        };
  let roll = decision.action === 'rollback';
  if (decision.action === 'ask' && options.ask)
    roll = await options.ask(`Verification failed (${reason}). Roll back? (${decision.because})`);
  if (!roll) {
    const keep = decision.action === 'ask';
    if (!keep) await store.releaseLock(lockName(plan.environment), holder);
    announcer.send('failure');
    await announcer.settle();
    await journal.finish('failed');
    return result(
      'failed',
      keep
        ? `${reason}. Rollback needs a person (${decision.because}): run 'opsbook rollback --env ${plan.environment}' or 'opsbook unlock --env ${plan.environment}'`
        : `${reason} (${decision.because})`,
      keep,
    );
  }
  state.rollback = {
    reason,
    automatic: decision.action === 'rollback',
    decidedBy: decision.action === 'rollback' ? decision.because : options.actor,
  };
  return rollBackAndFinish(ctx);
}

/** Rolls back, verifies the restored release and finishes the run; also where a killed rollback resumes. */
export async function rollBackAndFinish(ctx: FailureContext): Promise<DeployResult> {
  const { options, journal, now, progress, announcer, holder, result } = ctx;
  const { config, store } = options;
  const { state } = journal;
  const plan = state.plan;
  const reason = state.rollback?.reason ?? state.failure?.reason ?? 'rollback';
  // Durable with the start of the first rollback step (before any rollback call), else with the save after them.
  state.phase = 'rolling-back';
  progress({ type: 'phase', phase: 'rollback', message: `rolling back: ${reason}` });
  const rolled = await rollbackServices(ctx);
  state.times.restoredAt ??= new Date(now()).toISOString();
  await journal.save();
  journal.checkpoint('restored');
  // A rollback that did not finish leaves production in doubt: nobody deploys over it until a person looks.
  const keepLocked = config.deploy.rollback.lockAfter || !rolled;
  if (keepLocked)
    await store.acquireLock(lockName(plan.environment), {
      holder,
      reason: rolled
        ? `rolled back by run ${journal.run.id}: ${reason}. Fix, then 'opsbook unlock'`
        : `rollback of run ${journal.run.id} incomplete: ${reason}. Check the platform, then 'opsbook rollback' or 'opsbook unlock'`,
    });
  else await store.releaseLock(lockName(plan.environment), holder);
  announcer.send('rollback');
  await announcer.settle();
  await journal.finish(rolled ? 'rolled-back' : 'failed');
  return result(
    rolled ? 'rolled-back' : 'failed',
    rolled ? `rolled back: ${reason}` : `rollback incomplete after: ${reason}`,
    keepLocked,
  );
}
