/**
 * The Events v2 side of an incident's PagerDuty incident: one per opsbook incident, keyed by the dedup key
 * `opsbook:incident:<id>` (the notifications of its escalation carry that group key), and acknowledged or
 * resolved there when it is acknowledged or resolved here.
 */
import type { StackConfig } from '../config/index.js';
import { type Notification, pagerDutyDedupKey } from '../notify/index.js';
import type { IncidentRecord, NewOutboxNotification, TimelineEntry } from '../store/index.js';
import type { IncidentContext } from './context.js';

export const incidentGroupKey = (incidentId: string) => `incident:${incidentId}`;

/** The Events v2 dedup key of an opsbook incident's PagerDuty incident. */
export const incidentDedupKey = (incidentId: string) => pagerDutyDedupKey(incidentGroupKey(incidentId));

/** PagerDuty channels this incident has paged (or sends breaches to): where its ack and resolve must go too. */
function pagerDutyChannels(
  config: StackConfig,
  timeline: TimelineEntry[],
  policyChannels: string[],
): string[] {
  const used = new Set(policyChannels);
  for (const e of timeline) {
    const channel = (e.data as { channel?: unknown } | null)?.channel;
    if (e.kind === 'notify' && typeof channel === 'string') used.add(channel);
  }
  return [...used].filter((name) => config.channels[name]?.type === 'pagerduty');
}

/** Acknowledge or resolve events for the PagerDuty incidents of this opsbook incident. */
export async function pagerDutyFollowUps(
  ctx: IncidentContext,
  incident: IncidentRecord,
  action: 'acknowledge' | 'resolve',
  at: string,
): Promise<NewOutboxNotification[]> {
  const state = incident.escalation as { cycle?: number; policy?: { channels?: string[] } } | null;
  const channels = pagerDutyChannels(
    ctx.config,
    await ctx.store.incidents.listTimeline(incident.id),
    state?.policy?.channels ?? [],
  );
  return channels.map((channel) => {
    const n: Notification = {
      event: action === 'acknowledge' ? 'incident.acknowledged' : 'incident.resolved',
      title: `[${incident.severity}] #${incident.number} ${incident.title}`,
      text: action === 'acknowledge' ? 'Acknowledged in opsbook' : 'Resolved in opsbook',
      severity: 'info',
      at,
      alert: {
        groupKey: incidentGroupKey(incident.id),
        status: action === 'resolve' ? 'resolved' : 'firing',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        alerts: [],
      },
    };
    return {
      dedupKey: `incident/${incident.id}/c${state?.cycle ?? 0}/${action}/${channel}`,
      environment: incident.environment,
      channel,
      payload: JSON.parse(JSON.stringify(n)),
    };
  });
}
