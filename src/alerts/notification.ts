/** Builds a group notification (Alertmanager's webhook shape plus a title and text for chat and email). */
import { createHash } from 'node:crypto';
import { formatRoughly } from '../timing/index.js';
import type { AlertNotification, AlertRule, AlertState, Labels } from './types.js';
import { ZERO_TIME } from './types.js';

/** A stable hash of a label set: an alert's identity, as in Alertmanager. */
export function fingerprint(labels: Labels): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export function groupLabels(rule: AlertRule): Labels {
  return { alertname: rule.id, service: rule.service };
}

/** Alertmanager's group key form: `{}:{alertname="api-down", service="api"}`. */
export function groupKey(rule: AlertRule, environment: string): string {
  const labels = { environment, ...groupLabels(rule) };
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `{}:{${inner}}`;
}

const iso = (ms: number | undefined) => (ms === undefined ? ZERO_TIME : new Date(ms).toISOString());

export interface BuildNotificationInput {
  rule: AlertRule;
  state: AlertState;
  environment: string;
  status: 'firing' | 'resolved';
  repeat: boolean;
  seq: number;
  now: number;
}

export function buildNotification(input: BuildNotificationInput): AlertNotification {
  const { rule, state, status, environment } = input;
  const annotations: Labels = {
    summary: state.summary ?? '',
    ...(rule.description ? { description: rule.description } : {}),
  };
  const word = status === 'firing' ? 'FIRING' : 'RESOLVED';
  const text =
    status === 'firing'
      ? (state.summary ?? '')
      : `Resolved after ${formatRoughly((state.resolvedAt ?? input.now) - (state.firedAt ?? input.now))}. Now: ${state.summary ?? ''}`;
  return {
    dedupKey: `${environment}/${rule.id}/${rule.service}/${status}/${input.seq}`,
    groupKey: groupKey(rule, environment),
    status,
    seq: input.seq,
    ruleId: rule.id,
    service: rule.service,
    environment,
    channels: rule.channels,
    notice: status === 'resolved' ? 'info' : rule.notice,
    repeat: input.repeat,
    title: `[${word}] ${rule.id} on ${rule.service} (${environment})`,
    text: rule.description && status === 'firing' ? `${rule.description}\n${text}` : text,
    at: new Date(input.now).toISOString(),
    groupLabels: groupLabels(rule),
    commonLabels: rule.labels,
    commonAnnotations: annotations,
    alerts: [
      {
        status,
        labels: rule.labels,
        annotations,
        startsAt: iso(state.firedAt),
        endsAt: status === 'resolved' ? iso(state.resolvedAt ?? input.now) : ZERO_TIME,
        fingerprint: fingerprint(rule.labels),
      },
    ],
  };
}
