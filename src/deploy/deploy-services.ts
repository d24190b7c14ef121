/** Deploys the plan's groups in order, the services of a group in parallel, and watches each to live or failed. */
import { parseDuration, resolveEnvironment } from '../config/index.js';
import { type Provider, type ProviderDeploy, TERMINAL_STATES } from '../providers/types.js';
import { compileLogSignals } from './log-signals.js';
import type { PhaseContext } from './phase.js';
import { watchDeploy } from './watch.js';

export interface DeployFailure {
  trigger: 'deploy-failed' | 'build-failed' | 'trouble-log';
  reason: string;
}

/** The deploy that serves now: the rollback target, recorded before anything changes. */
async function currentLive(provider: Provider, ctx: PhaseContext): Promise<ProviderDeploy | null> {
  const deploys = await ctx.external(() => provider.listDeploys(ctx.providerCtx, { limit: 20 }));
  return deploys.find((d) => d.state === 'live') ?? null;
}

/**
 * How far the platform's clock may be behind ours for a deploy of the run's own commit: its `createdAt` comes from
 * the platform, the request time from this machine, and a deploy started at once (no gates) fell just before it.
 */
const CLOCK_SKEW_MS = 60_000;

/** On resume, a deploy this run may have started before it was killed: same commit, created after the request. */
async function adoptable(provider: Provider, ctx: PhaseContext): Promise<ProviderDeploy | undefined> {
  const { state } = ctx.journal;
  const since = Date.parse(state.times.requestedAt);
  const deploys = await ctx.external(() => provider.listDeploys(ctx.providerCtx, { limit: 20 }));
  return deploys.find((d) => {
    const created = Date.parse(d.createdAt);
    // Just before the request: only a deploy of this commit still on its way or live (an earlier attempt at the
    // same commit that failed or was replaced is not this run's).
    const early =
      created < since &&
      created >= since - CLOCK_SKEW_MS &&
      state.commit !== null &&
      d.commit === state.commit &&
      !['failed', 'canceled', 'superseded'].includes(d.state);
    return (
      (created >= since || early) &&
      (state.commit === null || d.commit === undefined || d.commit === state.commit) &&
      d.id !== state.services[provider.service.name]?.previous?.id
    );
  });
}

async function deployOne(name: string, ctx: PhaseContext): Promise<DeployFailure | undefined> {
  const { options, journal, providerCtx, progress } = ctx;
  const { state } = journal;
  const svc = state.services[name]!;
  if (svc.state === 'live') return undefined;
  const service = resolveEnvironment(options.config, state.plan.environment).find((s) => s.name === name)!;
  const provider = options.providerFor(service);
  if (!svc.deploy) {
    if (svc.state === 'deploying') {
      // Killed between starting the deploy and recording it: adopt rather than deploy twice.
      const found = await adoptable(provider, ctx);
      if (found) {
        svc.deploy = found;
        progress({
          type: 'service',
          service: name,
          message: `adopted deploy ${found.id} started before the interruption`,
        });
      }
    } else {
      // Saved with the start of the deploy step below.
      svc.previous = await currentLive(provider, ctx);
      svc.state = 'deploying';
    }
    if (!svc.deploy) {
      progress({
        type: 'service',
        service: name,
        message: state.plan.follow ? 'finding the platform deploy for the commit' : 'deploying',
      });
      svc.deploy = await journal.step(
        `deploy:${name}`,
        () =>
          ctx.external(() =>
            provider.deploy(
              {
                environment: state.plan.environment,
                commit: state.commit ?? undefined,
                follow: state.plan.follow,
                version: state.version,
                releaseEnv: options.releaseEnv,
              },
              providerCtx,
            ),
          ),
        (d) => ({ id: d.id, state: d.state }),
        (d) => {
          svc.deploy = d;
        },
      );
    }
  }
  progress({ type: 'service', service: name, message: `deploy ${svc.deploy.id}: ${svc.deploy.state}` });
  const watched = await journal.step(
    `watch:${name}`,
    () =>
      watchDeploy({
        provider,
        deployId: svc.deploy!.id,
        ctx: providerCtx,
        signals: compileLogSignals(service),
        timeoutMs: parseDuration(options.config.deploy.timeout),
        pollMs: options.pollMs ?? 2000,
        troubleIsFatal: state.plan.rollback.on.includes('trouble-log'),
        onLine: (line, kind) => progress({ type: 'log', service: name, line, kind }),
        onState: (d) => progress({ type: 'service', service: name, message: `${d.id}: ${d.state}` }),
        external: ctx.external,
      }),
    (w) => ({
      state: w.deploy.state,
      success: w.successLines.length,
      trouble: w.troubleLines.length,
      stoppedBecause: w.stoppedBecause ?? null,
    }),
    (w) => {
      // The watch's lateness was counted as waiting on the provider; it is the run's own time.
      state.externalMs = Math.max(0, state.externalMs - w.lateMs);
      svc.deploy = w.deploy;
      if (w.logsUnread) {
        state.issues ??= [];
        state.issues.push(`${name}: log lines could not be read while deploying (${w.logsUnread})`);
      }
      svc.successLines.push(...w.successLines.slice(0, 20));
      svc.troubleLines.push(...w.troubleLines.slice(0, 20));
      if (w.deploy.state === 'live' && !w.stoppedBecause) svc.state = 'live';
      else {
        svc.state = 'failed';
        svc.reason = w.stoppedBecause ?? w.deploy.reason ?? w.deploy.state;
      }
    },
  );
  if (watched.deploy.state === 'live' && !watched.stoppedBecause) return undefined;
  if (!TERMINAL_STATES.includes(watched.deploy.state)) svc.reason += await stopUnfinished(provider, ctx);
  const trigger = watched.troubleLines.length && watched.stoppedBecause ? 'trouble-log' : 'deploy-failed';
  return { trigger, reason: `${name}: ${svc.reason}` };
}

/**
 * A deploy the watch gave up on (the deploy timeout, a trouble line) is still running on the platform: left alone it
 * went live moments after the run had said it failed, unverified and unknown to the record. Cancelled where the
 * provider can; otherwise the reason says plainly that it may still go live.
 */
async function stopUnfinished(provider: Provider, ctx: PhaseContext): Promise<string> {
  const svc = ctx.journal.state.services[provider.service.name]!;
  const id = svc.deploy!.id;
  if (!provider.cancel)
    return `; ${provider.type} cannot cancel it: it may still go live (deploy ${id}), so check it and run 'opsbook rollback' if it does`;
  try {
    await ctx.external(() => provider.cancel!(id, ctx.providerCtx));
    return `; canceled deploy ${id}`;
  } catch (error) {
    return `; canceling deploy ${id} failed (${(error as Error).message}): it may still go live, so check it and run 'opsbook rollback' if it does`;
  }
}

export async function deployGroups(ctx: PhaseContext): Promise<DeployFailure | undefined> {
  for (const [i, group] of ctx.journal.state.plan.groups.entries()) {
    ctx.progress({
      type: 'phase',
      phase: 'deploy',
      message: `group ${i + 1}/${ctx.journal.state.plan.groups.length}: ${group.join(', ')}`,
    });
    const failures = (await Promise.all(group.map((name) => deployOne(name, ctx)))).filter(
      (f): f is DeployFailure => Boolean(f),
    );
    if (failures.length)
      return { trigger: failures[0]!.trigger, reason: failures.map((f) => f.reason).join('; ') };
  }
  return undefined;
}
