/**
 * The incident engine inside `opsbook serve`: turns alerts into incidents and runs every due escalation.
 * One instance works an environment at a time (a store lock with a lease, renewed each pass); a step's
 * notifications are enqueued in the same transaction that advances the escalation, keyed by incident,
 * cycle, loop, step and target, so a killed instance's successor neither skips nor repeats a step.
 */
import { recordWindowsInTimeline } from '../maintenance-windows/index.js';
import type { Span } from '../oncall/index.js';
import type { IncidentRecord, NewOutboxNotification, NewTimelineEntry } from '../store/index.js';
import { formatRoughly } from '../timing/index.js';
import type { IncidentContext } from './actions.js';
import { type EscalationAction, planEscalation } from './escalation.js';
import { syncAlerts } from './from-alerts.js';
import { LINK_TTL_MS, signAck } from './link.js';
import { type IncidentMessage, incidentNotification } from './messages.js';
import type { EscalationState } from './policy.js';
import { resolveTarget } from './targets.js';
import { recordUpstreams } from './upstream.js';

export interface IncidentEngineOptions extends IncidentContext {
  environment: string;
  holder: string;
  signingKey: string;
  /** Where the acknowledge links point (the server's public URL); no links without it. */
  publicUrl?: string;
  /** Events imported from iCal, per schedule. */
  calendars?: () => Record<string, Span[]>;
  /** Default 60 s. */
  lockTtlMs?: number;
}

export interface EngineTick {
  ran: boolean;
  opened: number;
  escalated: number;
}

export async function runIncidentTick(o: IncidentEngineOptions): Promise<EngineTick> {
  const lockName = `incidents:${o.environment}`;
  const lock = await o.store.acquireLock(lockName, { holder: o.holder, ttlMs: o.lockTtlMs ?? 60_000 });
  if (!lock.acquired) return { ran: false, opened: 0, escalated: 0 };
  const { opened } = await syncAlerts(o, o.environment);
  const now = (o.now ?? Date.now)();
  // Maintenance windows (scheduled ones start and end with no command) go into the open incidents' timelines.
  await recordWindowsInTimeline(
    { config: o.config, store: o.store, now: () => new Date(now) },
    o.environment,
  );
  let escalated = 0;
  for (const incident of await o.store.incidents.listDueIncidents(o.environment, new Date(now).toISOString()))
    if (await advance(o, incident, now)) escalated++;
  await recordUpstreams(o, o.environment);
  return { ran: true, opened, escalated };
}

export async function releaseIncidentLock(o: IncidentEngineOptions): Promise<void> {
  await o.store.releaseLock(`incidents:${o.environment}`, o.holder);
}

async function advance(o: IncidentEngineOptions, incident: IncidentRecord, now: number): Promise<boolean> {
  const state = incident.escalation as unknown as EscalationState | null;
  if (!state?.policy) {
    await o.store.incidents.updateIncident(incident.id, { nextAt: null }, { ifVersion: incident.version });
    return false;
  }
  const plan = planEscalation(incident, state, now);
  const timeline: NewTimelineEntry[] = [];
  const notifications: NewOutboxNotification[] = [];
  let retrigger = false;
  for (const action of plan.actions) {
    if (action.kind === 'retrigger') retrigger = true;
    collect(o, incident, state, action, now, timeline, notifications);
  }
  const updated = await o.store.incidents.updateIncident(
    incident.id,
    {
      escalation: JSON.parse(JSON.stringify(plan.state)),
      nextAt: plan.nextAt === null ? null : new Date(plan.nextAt).toISOString(),
      ...(retrigger ? { state: 'triggered' as const, acknowledgedAt: null, acknowledgedBy: null } : {}),
    },
    { ifVersion: incident.version, timeline, notifications },
  );
  return Boolean(updated && plan.actions.length);
}

function collect(
  o: IncidentEngineOptions,
  incident: IncidentRecord,
  state: EscalationState,
  action: EscalationAction,
  now: number,
  timeline: NewTimelineEntry[],
  notifications: NewOutboxNotification[],
): void {
  const { policy } = state;
  const at = new Date(now).toISOString();
  const label = `[${incident.severity}] #${incident.number} ${incident.title}`;
  const toChannels = (base: string, m: IncidentMessage) => {
    for (const name of policy.channels)
      notifications.push(
        incidentNotification(incident, policy, name, o.config.channels[name], m, `${base}/${name}`, now),
      );
  };
  if (action.kind === 'retrigger') {
    timeline.push({
      kind: 'retrigger',
      key: `incident/${incident.id}/c${action.cycle}/retrigger`,
      at,
      message: `Not resolved ${formatRoughly(policy.ackTimeoutMs ?? 0)} after the acknowledgement: triggered again, escalation restarts`,
    });
    return;
  }
  if (action.kind === 'breach') {
    const what = action.target === 'ack' ? 'acknowledged' : 'resolved';
    const base = `incident/${incident.id}/breach/${action.target}`;
    const message = `Response target missed: not ${what} within ${formatRoughly(action.limitMs)}`;
    timeline.push({
      kind: 'breach',
      key: base,
      at,
      message,
      data: { target: action.target, limitMs: action.limitMs },
    });
    toChannels(base, { event: 'incident.breached', title: `${label}: ${message}`, text: message });
    return;
  }
  const { step, index, cycle, loop } = action;
  // A step naming a person and a schedule they are on call in (or two schedules with one person on call) pages them once.
  const paged = new Set<string>();
  for (const target of step.notify) {
    const base = `incident/${incident.id}/c${cycle}/l${loop}/s${index}/${target}`;
    const { recipients, unreachable } = resolveTarget(o.config, target, now, o.calendars?.() ?? {});
    for (const r of recipients) {
      const person = `${r.contact ?? r.target}/${r.channel}`;
      if (paged.has(person)) continue;
      paged.add(person);
      const who = r.contactName ?? r.target;
      const ackUrl = o.publicUrl
        ? `${o.publicUrl.replace(/\/+$/, '')}/incidents/${incident.id}/ack?token=${signAck(o.signingKey, {
            incidentId: incident.id,
            who: r.contact ?? r.target,
            expiresAt: now + LINK_TTL_MS,
          })}`
        : undefined;
      const key = `${base}/${r.channel}`;
      notifications.push(
        incidentNotification(
          incident,
          policy,
          r.channel,
          o.config.channels[r.channel],
          {
            event: 'incident.escalated',
            title: `${label} (step ${index + 1}${loop ? `, repeat ${loop}` : ''})`,
            text: [
              `${who}: you are paged for incident #${incident.number} (${incident.severity}, ${policy.severityName}).`,
              step.action ?? '',
            ]
              .filter(Boolean)
              .join('\n'),
            ...(ackUrl ? { ackUrl } : {}),
            ...(r.to ? { to: r.to } : {}),
          },
          key,
          now,
        ),
      );
      timeline.push({
        kind: 'notify',
        key,
        at,
        message: `Step ${index + 1} (level ${step.level}${loop ? `, repeat ${loop}` : ''}): notified ${who}${r.target !== (r.contact ?? r.target) ? ` (on call in ${r.target})` : ''} via ${r.channel}`,
        data: {
          step: index + 1,
          level: step.level,
          cycle,
          loop,
          target,
          contact: r.contact ?? null,
          channel: r.channel,
        },
      });
    }
    for (const u of unreachable) {
      const message = `Step ${index + 1}: could not notify ${u.target}: ${u.reason}`;
      timeline.push({ kind: 'unreachable', key: `${base}/unreachable`, at, message });
      toChannels(`${base}/unreachable`, {
        event: 'incident.unreachable',
        title: `${label}: ${message}`,
        text: message,
      });
    }
  }
}
