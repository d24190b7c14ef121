/** The notifications an escalation sends: who is paged, for what, and the signed link that acknowledges. */
import type { Channel } from '../config/index.js';
import type { Notification } from '../notify/index.js';
import type { IncidentRecord, NewOutboxNotification } from '../store/index.js';
import { incidentGroupKey } from './pagerduty-events.js';
import type { PolicySnapshot } from './policy.js';

export interface IncidentMessage {
  event: 'incident.escalated' | 'incident.breached' | 'incident.unreachable';
  title: string;
  text: string;
  ackUrl?: string;
  to?: string[];
}

export function incidentNotification(
  incident: IncidentRecord,
  policy: PolicySnapshot,
  channelName: string,
  channel: Channel | undefined,
  m: IncidentMessage,
  dedupKey: string,
  at: number,
): NewOutboxNotification {
  const n: Notification = {
    event: m.event,
    title: m.title,
    text: m.ackUrl ? `${m.text}\n\nAcknowledge (stops the escalation): ${m.ackUrl}` : m.text,
    severity: policy.page ? 'critical' : 'warning',
    at: new Date(at).toISOString(),
    fields: {
      Incident: `#${incident.number}`,
      Severity: `${incident.severity} (${policy.severityName})`,
      Environment: incident.environment,
      ...(incident.services.length ? { Services: incident.services.join(', ') } : {}),
      ...(m.ackUrl ? { Acknowledge: m.ackUrl } : {}),
    },
    ...(m.to ? { to: m.to } : {}),
  };
  // PagerDuty keys its own incident on the dedup key, so its acknowledge matches ours.
  if (channel?.type === 'pagerduty')
    n.alert = {
      groupKey: incidentGroupKey(incident.id),
      status: 'firing',
      groupLabels: {},
      commonLabels: { service: incident.services[0] ?? 'opsbook', environment: incident.environment },
      commonAnnotations: { summary: incident.title },
      alerts: [],
    };
  return {
    dedupKey,
    environment: incident.environment,
    channel: channelName,
    payload: JSON.parse(JSON.stringify(n)),
  };
}
