/** Rolls the run's live services back to what served before, switches auto-deploy off, and verifies the result. */
import { resolveEnvironment } from '../config/index.js';
import { ProviderError } from '../errors.js';
import type { Provider, ProviderDeploy } from '../providers/types.js';
import { RESTORE_MEASUREMENTS, verifyRestored } from '../verify/analysis.js';
import type { PhaseContext } from './phase.js';
import { verifyTargets } from './verify-release.js';

/**
 * Render, Railway, Fly and Heroku roll back through a new deploy, which can fail, or still be running when the
 * provider stops waiting for it, while the release being undone serves on: such a rollback did not happen.
 */
export function servingOrThrow(provider: Provider, targetId: string, back: ProviderDeploy): ProviderDeploy {
  if (back.state === 'live') return back;
  const detail = back.reason ? `: ${back.reason}` : '';
  throw new ProviderError(
    provider.type,
    ['failed', 'canceled', 'superseded'].includes(back.state)
      ? `${provider.type}: the rollback to ${targetId} (deploy ${back.id}) ended ${back.state}${detail}. The release it was to replace may still serve; check the platform`
      : `${provider.type}: the rollback to ${targetId} (deploy ${back.id}) is still ${back.state} after waiting for it: it may yet go live, or not; check the platform`,
  );
}

export async function rollbackServices(
  ctx: PhaseContext & { sleep: (ms: number) => Promise<void> },
): Promise<boolean> {
  const { options, journal, providerCtx, progress } = ctx;
  const { state } = journal;
  const services = resolveEnvironment(options.config, state.plan.environment);
  let ok = true;
  // When traffic was back: the moment the last rollback call of a service that takes traffic returned (the local
  // proxy has switched, a platform has promoted), not after the bookkeeping or a worker's restart that follow.
  let restoredAt: number | undefined;
  let anyRestoredAt: number | undefined;
  await Promise.all(
    Object.entries(state.services).map(async ([name, svc]) => {
      if (svc.rollback || !svc.deploy || svc.deploy.state !== 'live' || !svc.previous) return;
      const service = services.find((s) => s.name === name)!;
      const provider = options.providerFor(service);
      try {
        progress({ type: 'service', service: name, message: `rolling back to ${svc.previous.id}` });
        svc.rollback = await journal.step(
          `rollback:${name}`,
          async () => {
            const back = servingOrThrow(
              provider,
              svc.previous!.id,
              await ctx.external(() => provider.rollback(svc.previous!.id, providerCtx)),
            );
            const at = ctx.now();
            anyRestoredAt = Math.max(anyRestoredAt ?? 0, at);
            if (service.kind !== 'worker') restoredAt = Math.max(restoredAt ?? 0, at);
            return back;
          },
          (d) => ({ id: d.id, state: d.state }),
          (d) => {
            svc.rollback = d;
            svc.state = 'rolled-back';
          },
        );
        if (state.plan.rollback.disableAutoDeploy && provider.setAutoDeploy) {
          const changed = await ctx.external(() => provider.setAutoDeploy!(false, providerCtx));
          // Already off before the rollback: not opsbook's to switch back on at unlock.
          if (changed !== false)
            await journal.event(
              'info',
              'autodeploy.disabled',
              `${name}: platform auto-deploy switched off until 'opsbook unlock'`,
              { service: name },
            );
        }
      } catch (error) {
        ok = false;
        svc.state = 'rollback-failed';
        svc.reason = (error as Error).message;
        progress({ type: 'service', service: name, message: `rollback failed: ${svc.reason}` });
        await journal.save();
      }
    }),
  );
  // Services a killed run already rolled back count too: the restored release is verified once, after all of them.
  const rolled = Object.entries(state.services)
    .filter(([, s]) => s.state === 'rolled-back')
    .map(([n]) => n);
  // Only a rollback that happened restores traffic (a resumed run keeps the time its first part recorded).
  const trafficAt = restoredAt ?? anyRestoredAt ?? (rolled.length ? ctx.now() : undefined);
  if (trafficAt !== undefined) state.times.trafficRestoredAt ??= new Date(trafficAt).toISOString();
  await journal.save();
  if (!rolled.length) return ok;
  if (state.rollbackVerification) return ok && state.rollbackVerification.outcome === 'successful';
  // Verify the restored release: a short analysis, no tolerance for failure.
  const targets = verifyTargets(ctx, rolled);
  const analysis = await verifyRestored(() => options.measure(targets), {
    intervalMs: Math.min(state.plan.verify.intervalMs, 2000),
    sleep: ctx.sleep,
    now: ctx.now,
    signal: options.signal,
    onMeasurement: (m, i) =>
      progress({
        type: 'measurement',
        index: i,
        count: RESTORE_MEASUREMENTS,
        outcome: m.outcome,
        detail: 'after rollback',
      }),
  });
  state.rollbackVerification = { outcome: analysis.outcome, reason: analysis.reason };
  await journal.save();
  // A restored release nobody could measure good is not known to serve: the run does not claim a rollback.
  return ok && analysis.outcome === 'successful';
}
