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
  onProgress?: (message: string) => void;
}

export interface ServiceRollback {
  service: string;
  from: string | null;
  to: string;
  result: ProviderDeploy | null;
  error?: string;
}

export interface RollbackResult {
  status: 'rolled-back' | 'failed' | 'locked';
  runId: string | null;
  services: ServiceRollback[];
  verification?: { outcome: string; reason: string };
  message: string;
}

/** The deploy to go back to: the newest one a succeeded run verified that is not what serves now. */
async function lastVerifiedGood(
  store: Store,
  environment: string,
  service: string,
  current: string | undefined,
): Promise<string | undefined> {
  const runs = await store.listRuns({ kind: 'deploy', environment, status: 'succeeded', limit: 50 });
  for (const run of runs) {
    const id = readState(run)?.services[service]?.deploy?.id;
    if (id && id !== current) return id;
  }
  return undefined;
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
  if (o.to && chosen.length !== 1)
    throw new UserError(
      '--to names one deploy, so it needs exactly one service',
      'add the service name: opsbook rollback api --to DEPLOY',
    );

  const held = await o.store.getLock(lockName(o.environment));
  if (held) {
    const holderRun = await o.store.getRun(runIdOfHolder(held.holder));
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
    if (holderRun?.status === 'paused')
      await o.store.updateRun(holderRun.id, { status: 'rolled-back', finishedAt: new Date().toISOString() });
    await o.store.forceReleaseLock(lockName(o.environment));
  }
  const run = await o.store.createRun({
    kind: 'rollback',
    environment: o.environment,
    actor: o.actor,
    summary: { reason: o.reason ?? null },
  });
  const holder = holderFor(run.id);
  await o.store.acquireLock(lockName(o.environment), { holder, reason: `rollback by ${o.actor}` });

  const results: ServiceRollback[] = await Promise.all(
    chosen.map(async (service): Promise<ServiceRollback> => {
      const provider = o.providerFor(service);
      const deploys = await provider.listDeploys(o.providerCtx, { limit: 20 });
      const current = deploys.find((d) => d.state === 'live');
      const target =
        o.to ??
        (await lastVerifiedGood(o.store, o.environment, service.name, current?.id)) ??
        deploys.find((d) => d.id !== current?.id && (d.state === 'superseded' || d.state === 'live'))?.id;
      if (!target)
        return {
          service: service.name,
          from: current?.id ?? null,
          to: '-',
          result: null,
          error: 'no earlier deploy to go back to',
        };
      o.onProgress?.(`${service.name}: ${current?.id ?? '?'} -> ${target}`);
      try {
        const result = await provider.rollback(target, o.providerCtx);
        if (provider.setAutoDeploy) await provider.setAutoDeploy(false, o.providerCtx);
        return { service: service.name, from: current?.id ?? null, to: target, result };
      } catch (error) {
        return {
          service: service.name,
          from: current?.id ?? null,
          to: target,
          result: null,
          error: (error as Error).message,
        };
      }
    }),
  );
  const done = results.filter((r) => r.result);
  const targets = done.map((r) => {
    const service = chosen.find((s) => s.name === r.service)!;
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
  const ok = results.every((r) => !r.error) && analysis?.outcome !== 'failed';
  // A rollback that changed nothing (a mistyped --to, no earlier deploy) leaves the lock as it found it.
  if (done.length)
    await o.store.acquireLock(lockName(o.environment), {
      holder,
      reason: `rolled back by ${o.actor}${o.reason ? `: ${o.reason}` : ''}. Fix, then 'opsbook unlock'`,
    });
  else if (held)
    await o.store.acquireLock(lockName(o.environment), { holder, reason: held.reason ?? undefined });
  else await o.store.releaseLock(lockName(o.environment), holder);
  const verification = analysis ? { outcome: analysis.outcome, reason: analysis.reason } : undefined;
  await o.store.updateRun(run.id, {
    status: ok ? 'rolled-back' : 'failed',
    finishedAt: new Date().toISOString(),
    summary: {
      reason: o.reason ?? null,
      services: results,
      verification: verification ?? null,
    } as unknown as JsonValue,
  });
  return {
    status: ok ? 'rolled-back' : 'failed',
    runId: run.id,
    services: results,
    verification,
    message: ok
      ? `rolled back ${done.map((r) => r.service).join(', ')}`
      : `rollback incomplete: ${
          results
            .filter((r) => r.error)
            .map((r) => `${r.service}: ${r.error}`)
            .join('; ') || analysis?.reason
        }`,
  };
}
