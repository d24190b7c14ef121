/**
 * The deployment run: plan, lock, gates, migrations, deploy in groups, watch, verify over the bake window,
 * succeed or roll back, verify the rollback, unlock. Every step is journaled before its side effect is trusted.
 */
import { parseDuration, registerContractSecrets } from '../config/index.js';
import type { ProviderContext } from '../providers/types.js';
import type { JsonValue, LockInfo } from '../store/index.js';
import { sleep as sleepFor } from '../timing/index.js';
import { createAnnouncer } from './announce.js';
import { confirmRelease } from './confirm.js';
import type { RunDeployOptions } from './context.js';
import { deployGroups } from './deploy-services.js';
import { type FailureContext, handleFailure, rollBackAndFinish } from './handle-failure.js';
import type { DeployState, Phase } from './journal.js';
import { waitLeadTime } from './lead-time.js';
import { describeLock, holderIsDead, lockName } from './locks.js';
import { type DeployPlan, planDeploy } from './plan.js';
import { preflightProviders } from './preflight.js';
import { recordDeployedEnv } from './record-env.js';
import type { DeployResult, DeployStatus } from './result.js';
import { lockAndStart, resumableRun } from './start-run.js';
import { stopPushDeploys } from './stop-push-deploy.js';
import { verifyRelease } from './verify-release.js';

export type { DeployResult, DeployStatus };

const ORDER: Phase[] = [
  'planned',
  'locked',
  'gated',
  'migrated',
  'deployed',
  'verified',
  'paused',
  'rolling-back',
  'finished',
];
const reached = (state: DeployState, phase: Phase) => ORDER.indexOf(state.phase) >= ORDER.indexOf(phase);

export function planFor(options: RunDeployOptions): DeployPlan {
  return planDeploy({
    config: options.config,
    environment: options.environment,
    services: options.services,
    commit: options.commit,
    follow: options.follow,
    skipGates: !options.runGates,
    ...(options.leadTimeMs !== undefined ? { leadTimeMs: options.leadTimeMs } : {}),
    parse: parseDuration,
  });
}

export async function runDeploy(options: RunDeployOptions): Promise<DeployResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms, options.signal));
  const requested = planFor(options);
  const { store, config } = options;
  // The contract's secret values join the redactor before any command output, log line or record is written.
  registerContractSecrets(config, options.env, options.redactor, { dir: options.cwd });
  const progress = options.onProgress ?? (() => {});

  const resumed = options.resumeRunId ? await resumableRun(store, options.resumeRunId) : undefined;
  // A resumed run goes on with the plan it started with, whatever services or flags the resume names.
  const plan = resumed?.state.plan ?? requested;
  const lockedBy = (lock: LockInfo, dead: boolean): DeployResult => ({
    status: 'locked',
    runId: null,
    plan,
    locked: true,
    message: `${plan.environment} is locked by ${lock.holder}${lock.reason ? ` (${lock.reason})` : ''}`,
    heldBy: { ...lock, dead },
  });
  const providerCtx: ProviderContext = {
    fetch: options.fetch ?? fetch,
    env: options.env,
    signal: options.signal,
    log: (m) => progress({ type: 'phase', phase: 'provider', message: m }),
    now,
    sleep,
    cwd: options.cwd,
    redactor: options.redactor,
  };
  // The providers' checks wait on the network while this thread reads the lock: neither changes anything. Their
  // time is the providers' (counted as external once the run's state exists).
  const preflightFrom = now();
  const preflight = preflightProviders(plan, options, providerCtx);
  if (!resumed) {
    // Refuse before recording anything: a deploy that never started is not a deployment-log entry.
    const held = await describeLock(store, plan.environment);
    if (held) {
      await preflight.catch(() => undefined);
      return lockedBy(held.lock, held.dead);
    }
  }
  const problems = await preflight;
  const preflightMs = now() - preflightFrom;
  if (problems.length)
    return {
      status: 'failed',
      runId: resumed?.run.id ?? null,
      plan,
      locked: Boolean(resumed),
      message: resumed
        ? `cannot resume run ${resumed.run.id}, it stays as it was: ${problems.join('; ')}`
        : `cannot deploy, nothing was locked or changed: ${problems.join('; ')}`,
    };
  const started = await lockAndStart(options, plan, resumed, now);
  if ('heldBy' in started) return lockedBy(started.heldBy, holderIsDead(started.heldBy));
  const { journal, holder, fresh } = started;
  const state = journal.state;
  state.externalMs += preflightMs;
  // Time outside opsbook: the union of the intervals in which some provider call, user command, probe or wait is in
  // flight (services deployed in parallel overlap; summing them would count the same wall time twice).
  let inFlight = 0;
  let since = 0;
  const external = async <T>(work: () => Promise<T>): Promise<T> => {
    if (inFlight++ === 0) since = now();
    try {
      return await work();
    } finally {
      if (--inFlight === 0) state.externalMs += now() - since;
    }
  };
  const announcer = createAnnouncer(
    config,
    state,
    {
      fetch: options.fetch ?? fetch,
      env: options.env,
      redactor: options.redactor,
      sleep: (ms) => sleepFor(ms),
      print: (line) => progress({ type: 'phase', phase: 'announce', message: line }),
    },
    now,
    options.announceGraceMs,
  );
  const result = (status: DeployStatus, message: string, locked: boolean): DeployResult => ({
    status,
    runId: journal.run.id,
    plan,
    state,
    locked,
    message,
  });

  if (!reached(state, 'locked')) {
    // A run that an earlier version created as `planned` and that was killed before it saved the lock.
    state.phase = 'locked';
    if (plan.announce?.events.includes('start')) state.times.announcedAt = new Date(now()).toISOString();
    await journal.save();
    announcer.send('start');
  } else if (fresh) announcer.send('start');

  const failureCtx: FailureContext = {
    options,
    journal,
    providerCtx,
    external,
    now,
    sleep,
    progress,
    announcer,
    holder,
    result,
  };
  const fail = (trigger: string, reason: string, failingChecks: string[]) =>
    handleFailure(failureCtx, trigger, reason, failingChecks);

  try {
    // Killed while rolling back: finish the rollback, never skip past it to "succeeded".
    if (state.phase === 'rolling-back') return await rollBackAndFinish(failureCtx);
    if (!reached(state, 'gated')) {
      if (plan.gates.length && options.runGates) {
        progress({ type: 'phase', phase: 'gates', message: `running ${plan.gates.length} gate(s)` });
        // Passing gates end the phase in the step's own write.
        const gates = await journal.step(
          'gates',
          () => external(() => options.runGates!(plan.gates)),
          (g) => g as unknown as JsonValue,
          (g) => {
            if (g.passed) state.phase = 'gated';
          },
        );
        if (!gates.passed) {
          // The platform may already be building the pushed commit: stop it, or say that it ships anyway.
          const stopped = await stopPushDeploys(plan, options, providerCtx);
          for (const line of stopped) {
            progress({ type: 'phase', phase: 'gates', message: line });
            await journal.event('warn', 'deploy.push-build', line, {});
          }
          await store.releaseLock(lockName(plan.environment), holder);
          state.failure = { trigger: 'gates', reason: gates.summary };
          announcer.send('failure');
          await announcer.settle();
          await journal.finish('failed');
          return result(
            'failed',
            `gates failed: ${gates.summary}${stopped.length ? `. ${stopped.join('. ')}` : ''}`,
            false,
          );
        }
      }
      if (state.phase !== 'gated') {
        state.phase = 'gated';
        await journal.save();
      }
    }
    if (!reached(state, 'migrated')) {
      await waitLeadTime({ state, plan, now, sleep, external, progress });
      if (plan.migrate === 'before' && options.migrate) {
        progress({ type: 'phase', phase: 'migrate', message: 'applying migrations' });
        const m = await journal.step(
          'migrate',
          () => external(() => options.migrate!()),
          (r) => r as unknown as JsonValue,
          (r) => {
            if (r.ok) state.phase = 'migrated';
          },
        );
        if (!m.ok) {
          await store.releaseLock(lockName(plan.environment), holder);
          state.failure = { trigger: 'migrations', reason: m.summary };
          announcer.send('failure');
          await announcer.settle();
          await journal.finish('failed');
          return result('failed', `migrations failed: ${m.summary}`, false);
        }
      }
      if (state.phase !== 'migrated') {
        state.phase = 'migrated';
        await journal.save();
      }
    }
    if (!reached(state, 'deployed')) {
      const failure = await deployGroups({ options, journal, providerCtx, external, now, progress });
      if (failure) return await fail(failure.trigger, failure.reason, []);
      state.phase = 'deployed';
      state.times.liveAt = new Date(now()).toISOString();
      await journal.save();
    }
    if (!reached(state, 'verified') || state.phase === 'paused') {
      const analysis = await verifyRelease({ options, journal, providerCtx, external, now, sleep, progress });
      if (analysis.outcome === 'failed')
        return await fail(analysis.trigger, analysis.reason, analysis.failingChecks);
      if (analysis.outcome === 'inconclusive') {
        const promote = options.ask
          ? await options.ask(`Verification is inconclusive (${analysis.reason}). Keep the new release?`)
          : undefined;
        if (promote === false) return await fail('inconclusive', analysis.reason, analysis.failingChecks);
        if (promote === undefined) {
          state.phase = 'paused';
          await journal.save();
          await store.updateRun(journal.run.id, { status: 'paused' });
          return result(
            'paused',
            `verification inconclusive: ${analysis.reason}. A person decides: 'opsbook deploy --resume' to verify again, or 'opsbook rollback'`,
            true,
          );
        }
      }
      const confirmed = await confirmRelease(options, journal, now);
      if (confirmed.outcome === 'refused')
        return await fail('confirm-failed', `"${confirmed.question}" was answered no`, []);
      if (confirmed.outcome === 'unanswered') {
        state.phase = 'paused';
        await journal.save();
        await store.updateRun(journal.run.id, { status: 'paused' });
        const flags = confirmed.pending.map((p) => `--confirm ${p.id}`).join(' ');
        return result(
          'paused',
          `waiting for a person to confirm: ${confirmed.pending.map((p) => `${p.id} "${p.question}"`).join('; ')}. Check, then 'opsbook deploy --resume ${flags}', or 'opsbook rollback'`,
          true,
        );
      }
      state.phase = 'verified';
      state.times.verifiedAt = new Date(now()).toISOString();
    }
    // The verified release is the new "last good deploy" that doctor's env drift compares against.
    await recordDeployedEnv({ options, journal, providerCtx, external, now });
    // The verdict is saved with the lock's release, in one commit: a run killed before it (while the env was read)
    // verifies again on resume; killed after it, it only has to finish.
    await journal.saveAndRelease(lockName(plan.environment), holder);
    journal.checkpoint('released');
    announcer.send('success');
    await announcer.settle();
    await journal.finish('succeeded');
    return result('succeeded', `deployed ${plan.groups.flat().join(', ')} to ${plan.environment}`, false);
  } catch (error) {
    // Interrupted or a bug: the journal keeps where it stopped and the lock stays for `--resume` or `unlock`.
    await store
      .updateRun(journal.run.id, { status: 'interrupted', summary: state as unknown as JsonValue })
      .catch(() => undefined);
    await journal.event('error', 'deploy.interrupted', (error as Error).message).catch(() => undefined);
    throw error;
  }
}
