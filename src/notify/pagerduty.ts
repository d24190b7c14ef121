/**
 * PagerDuty Events API v2. An alert group maps to one PagerDuty alert through its dedup key: firing
 * triggers it, `alert.acknowledged` acknowledges it, resolved resolves it (after which the same key opens
 * a new one). Anything that is not an alert goes as a change event, which never pages anyone.
 */
import { createHash } from 'node:crypto';
import { postJson } from './http.js';
import type { ChannelContext, Notification } from './types.js';

export const PAGERDUTY_URL = 'https://events.pagerduty.com';

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

/** PagerDuty limits dedup keys to 255 characters; a longer group key is hashed. */
export function pagerDutyDedupKey(groupKey: string): string {
  const key = `opsbook:${groupKey}`;
  return key.length <= 255 ? key : `opsbook:${createHash('sha256').update(groupKey).digest('hex')}`;
}

export function pagerDutyAction(n: Notification): PagerDutyAction {
  // alert.acknowledged, and incident.acknowledged for an incident acknowledged in opsbook.
  if (n.event.endsWith('.acknowledged')) return 'acknowledge';
  return n.alert?.status === 'resolved' ? 'resolve' : 'trigger';
}

const SEVERITY = { info: 'info', warning: 'warning', critical: 'critical' } as const;

export function pagerDutyBody(routingKey: string, n: Notification): { path: string; body: unknown } {
  const summary = (n.text ? `${n.title}: ${n.text.split('\n')[0]}` : n.title).slice(0, 1024);
  const labels = n.alert?.commonLabels ?? {};
  if (!n.alert)
    return {
      path: '/v2/change/enqueue',
      body: {
        routing_key: routingKey,
        payload: {
          summary,
          timestamp: n.at,
          source: 'opsbook',
          custom_details: { event: n.event, ...n.fields },
        },
      },
    };
  const action = pagerDutyAction(n);
  const dedupKey = pagerDutyDedupKey(n.alert.groupKey);
  if (action !== 'trigger')
    return {
      path: '/v2/enqueue',
      body: { routing_key: routingKey, event_action: action, dedup_key: dedupKey },
    };
  return {
    path: '/v2/enqueue',
    body: {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: {
        summary,
        source: labels.service ?? 'opsbook',
        severity: SEVERITY[n.severity],
        timestamp: n.at,
        ...(labels.service ? { component: labels.service } : {}),
        ...(labels.environment ? { group: labels.environment } : {}),
        ...(labels.condition ? { class: labels.condition } : {}),
        custom_details: { labels, annotations: n.alert.commonAnnotations, ...n.fields },
      },
      client: 'opsbook',
    },
  };
}

export async function sendPagerDuty(routingKey: string, n: Notification, ctx: ChannelContext): Promise<void> {
  const { path, body } = pagerDutyBody(routingKey, n);
  const base = (ctx.pagerDutyUrl ?? PAGERDUTY_URL).replace(/\/+$/, '');
  await postJson(`${base}${path}`, JSON.stringify(body), {}, ctx);
}
