/** What people do to an incident (open, acknowledge, post an update, note, resolve): shared by the CLI, the server and the engine. */
import { parseDuration, type StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import type { IncidentRecord, NewTimelineEntry } from '../store/index.js';
import type { IncidentContext } from './context.js';
import { pagerDutyFollowUps } from './pagerduty-events.js';
import { type EscalationState, snapshotPolicy, startEscalation } from './policy.js';

export type { IncidentContext };

export const PUBLIC_STATES = ['investigating', 'identified', 'monitoring'] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];

const iso = (ctx: IncidentContext) => new Date((ctx.now ?? Date.now)()).toISOString();

export async function findIncident(ctx: IncidentContext, ref: string): Promise<IncidentRecord> {
  const incident = await ctx.store.incidents.getIncident(ref.trim());
  if (!incident)
    throw new UserError(
      `no incident '${ref}'`,
      'list them with `opsbook incident list`',
      'incident/not-found',
    );
  return incident;
}

export function checkSeverity(config: StackConfig, severity: string): void {
  const known = Object.keys(config.incidents?.severities ?? {});
  if (!known.includes(severity))
    throw new UserError(
      `unknown severity '${severity}'`,
      known.length
        ? `use one of: ${known.join(', ')}`
        : `declare it in opsbook.yaml, e.g. incidents: { severities: { ${/^[A-Za-z][\w-]*$/.test(severity) ? severity : 'SEV1'}: { name: Critical, page: true } } }, then open the incident again`,
      'incident/unknown-severity',
    );
}

export interface OpenIncidentInput {
  environment: string;
  title: string;
  severity: string;
  services?: string[];
  commander?: string;
  actor: string;
  dedupKey?: string;
  timeline?: NewTimelineEntry[];
}

export async function openIncident(ctx: IncidentContext, input: OpenIncidentInput) {
  checkSeverity(ctx.config, input.severity);
  for (const s of input.services ?? [])
    if (!ctx.config.services[s])
      throw new UserError(
        `unknown service '${s}'`,
        `declared services: ${Object.keys(ctx.config.services).join(', ')}`,
      );
  const at = (ctx.now ?? Date.now)();
  const escalation = startEscalation(snapshotPolicy(ctx.config, input.severity), at);
  return ctx.store.incidents.openIncident({
    environment: input.environment,
    title: input.title,
    severity: input.severity,
    services: input.services ?? [],
    commander: input.commander ?? null,
    dedupKey: input.dedupKey ?? null,
    escalation: JSON.parse(JSON.stringify(escalation)),
    nextAt: new Date(at).toISOString(),
    openedAt: new Date(at).toISOString(),
    timeline: [
      { kind: 'open', message: `Opened as ${input.severity}: ${input.title}`, actor: input.actor },
      ...(input.timeline ?? []),
    ],
  });
}

/** Stops the escalation. Returns `changed: false` when someone already had (or it is resolved). */
export async function acknowledgeIncident(
  ctx: IncidentContext,
  ref: string,
  input: { actor: string; via: string; extra?: NewTimelineEntry[] },
): Promise<{ incident: IncidentRecord; changed: boolean }> {
  const incident = await findIncident(ctx, ref);
  const at = iso(ctx);
  // PagerDuty hears of an ack made elsewhere, so its own escalation stops too.
  const notifications =
    input.via === 'PagerDuty' ? [] : await pagerDutyFollowUps(ctx, incident, 'acknowledge', at);
  const updated = await ctx.store.incidents.updateIncident(
    incident.id,
    { state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: input.actor },
    {
      ifState: ['triggered'],
      notifications,
      timeline: [
        ...(input.extra ?? []),
        {
          kind: 'ack',
          message: `Acknowledged by ${input.actor} (${input.via}); escalation stopped`,
          actor: input.actor,
          at,
        },
      ],
    },
  );
  if (updated) await rescheduleEscalation(ctx, updated);
  return updated
    ? { incident: await findIncident(ctx, updated.id), changed: true }
    : { incident, changed: false };
}

/** A public update in Statuspage's words; it acknowledges a triggered incident too (someone is on it). */
export async function postUpdate(
  ctx: IncidentContext,
  ref: string,
  input: { status: PublicState; message: string; actor: string },
): Promise<IncidentRecord> {
  if (!(PUBLIC_STATES as readonly string[]).includes(input.status))
    throw new UserError(`unknown update status '${input.status}'`, `use one of: ${PUBLIC_STATES.join(', ')}`);
  const incident = await findIncident(ctx, ref);
  refuseResolved(incident);
  const at = iso(ctx);
  const ack = incident.state === 'triggered' ? { acknowledgedAt: at, acknowledgedBy: input.actor } : {};
  const updated = await ctx.store.incidents.updateIncident(
    incident.id,
    { state: input.status, ...ack },
    {
      ifState: ['triggered', 'acknowledged', ...PUBLIC_STATES],
      timeline: [
        ...(incident.state === 'triggered'
          ? [
              {
                kind: 'ack',
                message: `Acknowledged by ${input.actor} (update); escalation stopped`,
                actor: input.actor,
                at,
              },
            ]
          : []),
        {
          kind: 'update',
          message: input.message,
          actor: input.actor,
          public: true,
          data: { status: input.status },
          at,
        },
      ],
    },
  );
  if (!updated) throw new UserError(`incident #${incident.number} changed while updating it`, 'try again');
  await rescheduleEscalation(ctx, updated);
  return updated;
}

export async function addNote(ctx: IncidentContext, ref: string, input: { message: string; actor: string }) {
  const incident = await findIncident(ctx, ref);
  await ctx.store.incidents.addTimeline(incident.id, [
    { kind: 'note', message: input.message, actor: input.actor },
  ]);
  return incident;
}

export async function resolveIncident(
  ctx: IncidentContext,
  ref: string,
  input: { summary: string; actor: string; extra?: NewTimelineEntry[] },
): Promise<{ incident: IncidentRecord; changed: boolean; postmortemDue?: string }> {
  const incident = await findIncident(ctx, ref);
  if (incident.state === 'resolved') return { incident, changed: false };
  const at = iso(ctx);
  const postmortem = ctx.config.incidents?.postmortem;
  const due = postmortem?.requiredFor.includes(incident.severity)
    ? new Date(Date.parse(at) + parseDuration(postmortem.within)).toISOString()
    : undefined;
  const updated = await ctx.store.incidents.updateIncident(
    incident.id,
    { state: 'resolved', resolvedAt: at, summary: input.summary, nextAt: null },
    {
      ifState: ['triggered', 'acknowledged', ...PUBLIC_STATES],
      notifications: await pagerDutyFollowUps(ctx, incident, 'resolve', at),
      timeline: [
        ...(input.extra ?? []),
        {
          kind: 'resolve',
          message: input.summary,
          actor: input.actor,
          public: true,
          data: { status: 'resolved' },
          at,
        },
        ...(due
          ? [
              {
                kind: 'postmortem',
                message: `Postmortem required for ${incident.severity}: due by ${due}`,
                data: { due },
                at,
              },
            ]
          : []),
      ],
    },
  );
  return updated
    ? { incident: updated, changed: true, ...(due ? { postmortemDue: due } : {}) }
    : { incident: await findIncident(ctx, ref), changed: false };
}

function refuseResolved(incident: IncidentRecord): void {
  if (incident.state === 'resolved')
    throw new UserError(`incident #${incident.number} is resolved`, 'open a new incident for a new problem');
}

/** After an ack the only timers left are the ack timeout and the resolve target: let the engine look then. */
async function rescheduleEscalation(ctx: IncidentContext, incident: IncidentRecord): Promise<void> {
  await ctx.store.incidents.updateIncident(
    incident.id,
    { nextAt: iso(ctx) },
    { ifVersion: incident.version },
  );
}

/**
 * A more severe alert joining an open incident raises its severity (the config lists severities from the
 * most severe): the new severity's policy replaces the old one and escalation starts over as a new cycle.
 */
export async function raiseSeverity(
  ctx: IncidentContext,
  id: string,
  severity: string,
  because: string,
): Promise<boolean> {
  const order = Object.keys(ctx.config.incidents?.severities ?? {});
  for (let attempt = 0; attempt < 3; attempt++) {
    const incident = await findIncident(ctx, id);
    const [from, to] = [order.indexOf(incident.severity), order.indexOf(severity)];
    if (incident.state === 'resolved' || to < 0 || (from >= 0 && from <= to)) return false;
    const at = (ctx.now ?? Date.now)();
    const previous = incident.escalation as unknown as EscalationState | null;
    const escalation: EscalationState = {
      ...startEscalation(snapshotPolicy(ctx.config, severity), at),
      cycle: (previous?.cycle ?? 0) + 1,
    };
    const acked = incident.state !== 'triggered';
    const updated = await ctx.store.incidents.updateIncident(
      incident.id,
      {
        severity,
        escalation: JSON.parse(JSON.stringify(escalation)),
        nextAt: new Date(at).toISOString(),
        // A person already on it keeps it: the new policy's steps wait for the ack timeout, if any.
        ...(acked ? {} : { state: 'triggered' as const }),
      },
      {
        ifVersion: incident.version,
        timeline: [
          {
            kind: 'severity',
            message: `Severity raised from ${incident.severity} to ${severity} by ${because}`,
            at: new Date(at).toISOString(),
          },
        ],
      },
    );
    if (updated) return true;
  }
  return false;
}
