/**
 * `opsbook rollback`: back to the last verified-good deploy (or a chosen one), verified afterwards, and the
 * environment left locked with auto-deploy off so the next push does not re-ship the bad build.
 */
import { closestMatch, type ResolvedService, resolveEnvironment, type StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import type { Provider, ProviderContext, ProviderDeploy } from '../providers/types.js';
import type { JsonValue, Store } from '../store/index.js';
import { type CheckOutcome, verifyRestored } from '../verify/analysis.js';
import type { VerifyTarget } from './context.js';
import { readState } from './journal.js';
import { holderFor, holderIsDead, lockName, runIdOfHolder } from './locks.js';
import { sharedWithProduction } from './preflight.js';
import { servingOrThrow } from './rollback.js';
import { cutShortRollback } from './rollback-runs.js';

export interface RollbackOptions {
  config: StackConfig;
  environment: string;
  store: Store;
  actor: string;
  providerFor: (service: ResolvedService) => Provider;
  providerCtx: ProviderContext;
  measure: (targets: VerifyTarget[]) => Promise<CheckOutcome[]>;
  services?: string[];
  to?: string;
  reason?: string;
  /** Finish the rollback run of the environment that was cut short, with the targets it chose. */
  resume?: boolean;
  onProgress?: (message: string) => void;
}

export interface ServiceRollback {
  service: string;
  from: string | null;
  to: string;
  result: ProviderDeploy | null;
  error?: string;
}

/** The journal of a rollback run (its summary), written before each provider call so a killed run resumes. */
interface RollbackSummary {
  reason: string | null;
  /** Chosen before anything changes: where each service goes back to. */
  plan: { service: string; from: string | null; to: string | null; error?: string }[];
  services: ServiceRollback[];
  /** Services whose platform auto-deploy this run switched off: `unlock` switches on only these. */
  autoDeployOff: string[];
  verification: { outcome: string; reason: string } | null;
}

export interface RollbackResult {
  status: 'rolled-back' | 'failed' | 'locked';
  runId: string | null;
  services: ServiceRollback[];
  verification?: { outcome: string; reason: string };
  message: string;
}

/** The deploy to go back to: the newest one a succeeded run verified that is not what serves now, nor undone. */
async function lastVerifiedGood(
  store: Store,
  environment: string,
  service: string,
  current: string | undefined,
  undone: Set<string>,
): Promise<string | undefined> {
  const runs = await store.listRuns({ kind: 'deploy', environment, status: 'succeeded', limit: 50 });
  for (const run of runs) {
    const id = readState(run)?.services[service]?.deploy?.id;
    if (id && id !== current && !undone.has(id)) return id;
  }
  return undefined;
}

/**
 * The deploys of a service that a rollback moved it away from (a manual one, or a deploy run's automatic one): a
 * person or the verification judged them bad after they went live, so a later rollback (a retry, or one to go
 * further back) does not put them back as "the last good one". `--to` still can.
 */
async function rolledBackFrom(store: Store, environment: string, service: string): Promise<Set<string>> {
  const undone = new Set<string>();
  for (const run of await store.listRuns({ kind: 'rollback', environment, limit: 50 })) {
    const moved = (run.summary as Partial<RollbackSummary> | null)?.services ?? [];
    for (const r of moved) if (r.service === service && r.result && r.from) undone.add(r.from);
  }
  for (const run of await store.listRuns({ kind: 'deploy', environment, limit: 50 })) {
    const svc = readState(run)?.services[service];
    if (svc?.rollback && svc.deploy) undone.add(svc.deploy.id);
  }
  return undone;
}

export async function rollbackEnvironment(o: RollbackOptions): Promise<RollbackResult> {
  const all = resolveEnvironment(o.config, o.environment);
  const deployable = all.filter((s) => s.provider && s.provider.type !== 'none');
  for (const n of o.services ?? [])
    if (!deployable.some((s) => s.name === n)) {
      const guess = closestMatch(
        n,
        deployable.map((s) => s.name),
      );
      throw new UserError(
        `no deployable service '${n}' in ${o.environment}`,
        guess ? `did you mean '${guess}'?` : undefined,
      );
    }
  const chosen = o.services?.length ? deployable.filter((s) => o.services!.includes(s.name)) : deployable;
  for (const service of chosen) {
    const shared = sharedWithProduction(o.config, o.environment, service);
    if (shared) throw new UserError(`cannot roll back ${service.name} in ${o.environment}: ${shared}`);
  }
  // Nothing a provider deploys: a run would record a failed rollback that "rolled back" nothing.
  if (!chosen.length)
    throw new UserError(
      `nothing to roll back in ${o.environment}`,
      'add a provider to a web, worker, cron or static service',
    );
  if (o.to && chosen.length !== 1)
    throw new UserError(
      '--to names one deploy, so it needs exactly one service',
      'add the service name: opsbook rollback api --to DEPLOY',
    );

  const held = await o.store.getLock(lockName(o.environment));
  const cut = await cutShortRollback(o.store, o.environment);
  if (o.resume && !cut)
    throw new UserError(
      `no rollback of ${o.environment} was cut short`,
      "'opsbook status' shows the last run; start a new one with 'opsbook rollback'",
    );
  // Starting afresh after a partial rollback would pick targets from a half-restored state.
  if (!o.resume && cut?.status === 'running')
    throw new UserError(
      `rollback run ${cut.id} of ${o.environment} was cut short`,
      `'opsbook rollback --resume --env ${o.environment}' finishes it; 'opsbook unlock --env ${o.environment}' gives up on it`,
    );
  const holderRun = held ? await o.store.getRun(runIdOfHolder(held.holder)) : undefined;
  if (held) {
    // A paused, failed or dead deploy is what a rollback is for; a live one must finish first.
    const takeover =
      !holderRun ||
      ['paused', 'failed', 'rolled-back', 'interrupted'].includes(holderRun.status) ||
      holderIsDead(held);
    if (!takeover)
      return {
        status: 'locked',
        runId: null,
        services: [],
        message: `${o.environment} is locked by ${held.holder} (${held.reason ?? 'no reason'})`,
      };
  }
  // Chosen before anything is recorded, taken over or locked: a platform that cannot list its deploys (a 401) left
  // a rollback run "cut short" and the environment locked, with no targets for '--resume' to go on with.
  const resumed = o.resume && cut ? (cut.summary as unknown as Partial<RollbackSummary>) : undefined;
  const plan = resumed?.plan ?? (await planTargets(o, chosen));
  if (held) {
    if (holderRun?.status === 'paused')
      await o.store.updateRun(holderRun.id, { status: 'rolled-back', finishedAt: new Date().toISOString() });
    await o.store.forceReleaseLock(lockName(o.environment));
  }
  const run =
    o.resume && cut
      ? cut
      : await o.store.createRun({
          kind: 'rollback',
          environment: o.environment,
          actor: o.actor,
          summary: { reason: o.reason ?? null },
        });
  if (o.resume) await o.store.updateRun(run.id, { status: 'running' });
  const holder = holderFor(run.id);
  await o.store.acquireLock(lockName(o.environment), { holder, reason: `rollback by ${o.actor}` });

  const summary: RollbackSummary = {
    reason: o.reason ?? null,
    services: [],
    autoDeployOff: [],
    verification: null,
    ...resumed,
    plan,
  };
  const save = () => o.store.updateRun(run.id, { summary: summary as unknown as JsonValue });
  await save();

  for (const p of summary.plan) {
    if (summary.services.some((r) => r.service === p.service)) continue;
    const service = all.find((s) => s.name === p.service);
    if (!service || !p.to) {
      summary.services.push({
        service: p.service,
        from: p.from,
        to: p.to ?? '-',
        result: null,
        error: p.error,
      });
      continue;
    }
    o.onProgress?.(`${p.service}: ${p.from ?? '?'} -> ${p.to}`);
    const provider = o.providerFor(service);
    try {
      const result = servingOrThrow(provider, p.to, await provider.rollback(p.to, o.providerCtx));
      // Recorded only where opsbook switched it off: unlock switches back on just those.
      if (provider.setAutoDeploy && (await provider.setAutoDeploy(false, o.providerCtx)) !== false)
        summary.autoDeployOff.push(p.service);
      summary.services.push({ service: p.service, from: p.from, to: p.to, result });
    } catch (error) {
      summary.services.push({
        service: p.service,
        from: p.from,
        to: p.to,
        result: null,
        error: (error as Error).message,
      });
    }
    await save();
  }
  const results = summary.services;
  const done = results.filter((r) => r.result);
  const targets = done.map((r) => {
    const service = all.find((s) => s.name === r.service)!;
    return { service, baseUrl: service.url ?? r.result?.url };
  });
  const analysis = targets.length
    ? await verifyRestored(() => o.measure(targets), {
        intervalMs: 1000,
        sleep: o.providerCtx.sleep,
        now: o.providerCtx.now,
        signal: o.providerCtx.signal,
      })
    : undefined;
  // Only a restored release measured good is a rollback; one nobody could measure is not known to serve.
  const ok = results.every((r) => !r.error) && analysis?.outcome === 'successful';
  // A rollback that changed nothing (a mistyped --to, no earlier deploy) leaves the lock as it found it.
  if (done.length)
    await o.store.acquireLock(lockName(o.environment), {
      holder,
      reason: `rolled back by ${o.actor}${summary.reason ? `: ${summary.reason}` : ''}. Fix, then 'opsbook unlock'`,
    });
  else if (held && !o.resume)
    await o.store.acquireLock(lockName(o.environment), { holder, reason: held.reason ?? undefined });
  else await o.store.releaseLock(lockName(o.environment), holder);
  const verification = analysis ? { outcome: analysis.outcome, reason: analysis.reason } : undefined;
  summary.verification = verification ?? null;
  await o.store.updateRun(run.id, {
    status: ok ? 'rolled-back' : 'failed',
    finishedAt: new Date().toISOString(),
    summary: summary as unknown as JsonValue,
  });
  const errors = results.filter((r) => r.error).map((r) => `${r.service}: ${r.error}`);
  return {
    status: ok ? 'rolled-back' : 'failed',
    runId: run.id,
    services: results,
    verification,
    message: ok
      ? `rolled back ${done.map((r) => r.service).join(', ')}`
      : errors.length
        ? `rollback incomplete: ${errors.join('; ')}`
        : `rolled back ${done.map((r) => r.service).join(', ')}, but the restored release is not verified: ${analysis?.reason ?? 'nothing was measured'}`,
  };
}

/** Where each service goes back to, decided once, before any provider call. */
async function planTargets(o: RollbackOptions, chosen: ResolvedService[]): Promise<RollbackSummary['plan']> {
  return Promise.all(
    chosen.map(async (service) => {
      const deploys = await o.providerFor(service).listDeploys(o.providerCtx, { limit: 20 });
      const current = deploys.find((d) => d.state === 'live');
      // Going "back" to what serves now changes nothing; the platform would answer it live, and it read as rolled back.
      if (o.to && o.to === current?.id)
        return {
          service: service.name,
          from: current.id,
          to: null,
          error: `${o.to} is the deploy that serves now, so there is nothing to go back from; name an earlier one with --to`,
        };
      const undone = o.to ? new Set<string>() : await rolledBackFrom(o.store, o.environment, service.name);
      const to =
        o.to ??
        (await lastVerifiedGood(o.store, o.environment, service.name, current?.id, undone)) ??
        deploys.find(
          (d) =>
            d.id !== current?.id && !undone.has(d.id) && (d.state === 'superseded' || d.state === 'live'),
        )?.id;
      const skipped = [...undone].filter((id) => id !== current?.id);
      return to
        ? { service: service.name, from: current?.id ?? null, to }
        : {
            service: service.name,
            from: current?.id ?? null,
            to: null,
            error: `no earlier deploy to go back to${skipped.length ? `; skipped ${skipped.join(', ')}, which a rollback moved away from ('--to ${skipped[0]}' picks it anyway)` : ''}`,
          };
    }),
  );
}
