/** Deploy announcements with the runbooks' content: services, branch, commit, who, duration, health, why. */
import { renderTemplate, type StackConfig } from '../config/index.js';
import { broadcast, type ChannelContext, type Notification } from '../notify/index.js';
import { formatElapsed } from '../timing/index.js';
import type { DeployState } from './journal.js';

export type AnnounceEvent = 'start' | 'success' | 'failure' | 'rollback';

// In the one template syntax users write (src/config/template.ts), so a title reads like a custom template.
const TITLES: Record<AnnounceEvent, string> = {
  start: '[DEPLOYMENT] Starting {{stack}} deployment to {{environment}}',
  success: '[DEPLOYMENT] {{stack}} deployed to {{environment}} in {{duration}}',
  failure: '[DEPLOYMENT] {{stack}} deployment to {{environment}} FAILED',
  rollback: '[DEPLOYMENT] {{stack}} in {{environment}} ROLLED BACK',
};

/** A service's state for `{{health.<service>}}`: what this run's verification and rollback say of it. */
function serviceHealth(state: DeployState, name: string): string {
  const svc = state.services[name];
  if (!svc) return 'not in this deploy';
  if (svc.state === 'rolled-back') return 'rolled back';
  if (svc.state === 'rollback-failed') return 'rollback failed';
  if (svc.state === 'failed') return 'failed';
  if (svc.state !== 'live' || !state.verification) return 'not verified yet';
  return state.verification.outcome === 'successful' ? 'healthy' : state.verification.outcome;
}

/** Every variable of src/config/template.ts's ANNOUNCEMENT_VARIABLES, filled from the run. */
export function announcementVariables(
  config: StackConfig,
  state: DeployState,
  now: number,
): Record<string, string> {
  const started = Date.parse(state.times.requestedAt);
  const leadMs = state.plan.announce?.leadTimeMs ?? 0;
  const announced = Date.parse(state.times.announcedAt ?? state.times.requestedAt);
  const commit = state.commit?.slice(0, 12) ?? 'working tree';
  const vars: Record<string, string> = {
    stack: config.name,
    environment: state.plan.environment,
    services: state.plan.groups.flat().join(', '),
    branch: config.environments[state.plan.environment]?.branch ?? config.deploy.branch,
    commit,
    version: state.version ?? commit,
    actor: state.actor,
    duration: formatElapsed(now - started),
    expectedDuration: config.deploy.expectedDuration ?? 'unknown',
    expectedDowntime: config.deploy.expectedDowntime ?? 'none',
    leadTime: leadMs ? formatElapsed(leadMs) : 'none',
    startsAt: `${new Date(announced + leadMs).toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    reason: state.failure?.reason ?? state.rollback?.reason ?? '',
    verification: state.verification
      ? `${state.verification.outcome}: ${state.verification.reason}`
      : 'not run',
    issues:
      [state.failure && `${state.failure.trigger}: ${state.failure.reason}`, ...(state.issues ?? [])]
        .filter(Boolean)
        .join('; ') || 'None',
  };
  for (const name of Object.keys(config.services)) vars[`health.${name}`] = serviceHealth(state, name);
  return vars;
}

export function announcement(
  config: StackConfig,
  state: DeployState,
  event: AnnounceEvent,
  now: number,
): Notification {
  const vars = announcementVariables(config, state, now);
  const fields: Record<string, string> = {
    Services: vars.services!,
    Branch: vars.branch!,
    Commit: vars.commit!,
    By: vars.actor!,
  };
  if (event === 'start') {
    if (state.plan.announce?.leadTimeMs) fields['Starts at'] = vars.startsAt!;
    fields['Expected duration'] = vars.expectedDuration!;
    fields['Estimated downtime'] = vars.expectedDowntime!;
  } else fields.Duration = vars.duration!;
  if (event !== 'start') fields.Verification = vars.verification!;
  if (event === 'failure' || event === 'rollback') fields.Reason = vars.reason!;
  const custom = config.announcements?.templates?.[event];
  return {
    event: `deploy.${event}`,
    title: renderTemplate(TITLES[event], vars),
    text: custom ? renderTemplate(custom, vars) : '',
    severity:
      event === 'success' || event === 'start' ? 'info' : event === 'rollback' ? 'critical' : 'warning',
    fields,
    at: new Date(now).toISOString(),
  };
}

/** Sends to the configured channels; failures are recorded in the state, never thrown. */
export async function announce(
  config: StackConfig,
  state: DeployState,
  event: AnnounceEvent,
  ctx: ChannelContext,
  now: number,
): Promise<void> {
  const a = config.announcements;
  if (!a?.on.includes(event) || a.channels.length === 0) return;
  const results = await broadcast(config.channels, a.channels, announcement(config, state, event, now), ctx, {
    retries: 2,
  });
  for (const r of results)
    state.announcements.push({ event, channel: r.channel, ok: r.ok, ...(r.error ? { error: r.error } : {}) });
}

export interface Announcer {
  /** Starts sending in the background: a slow or down channel never holds up the run. */
  send(event: AnnounceEvent): void;
  /** Waits up to the grace period for sends in flight, then gives up on the rest (recorded as failed). */
  settle(): Promise<void>;
}

export function createAnnouncer(
  config: StackConfig,
  state: DeployState,
  ctx: Omit<ChannelContext, 'signal'>,
  now: () => number,
  graceMs = 5000,
): Announcer {
  const controller = new AbortController();
  const pending = new Set<Promise<void>>();
  return {
    send(event) {
      const p: Promise<void> = announce(config, state, event, { ...ctx, signal: controller.signal }, now())
        .catch(() => undefined)
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async settle() {
      if (!pending.size) return;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => {
        timer = setTimeout(r, graceMs);
      });
      await Promise.race([Promise.all(pending), grace]);
      clearTimeout(timer);
      if (pending.size) {
        controller.abort(new Error(`announcement still sending after ${graceMs} ms`));
        await Promise.all(pending);
      }
    },
  };
}
