/**
 * PagerDuty both ways. Out: each incident is one PagerDuty incident, keyed by the Events v2 dedup key
 * `opsbook:incident:<id>`; an ack or resolve in opsbook is sent there too. In: PagerDuty's v3 webhook
 * `incident.acknowledged` (signature checked per PagerDuty's v1 scheme) carries that key back as
 * `incident_key`, and acknowledges the opsbook incident, which stops the escalation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { acknowledgeIncident, type IncidentContext } from './actions.js';

/**
 * PagerDuty's `X-PagerDuty-Signature`: comma-separated `v1=<hex HMAC-SHA256 of the raw body>`, one per
 * signing secret while a secret rotates. Any v1 signature matching is enough; compared in constant time.
 */
export function verifyPagerDutySignature(
  secret: string,
  rawBody: string,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex'));
  return header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .some((s) => {
      const given = Buffer.from(s.slice(3));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

export type PagerDutyEventResult =
  | { status: 'acknowledged'; number: number }
  | { status: 'ignored'; reason: string }
  | { status: 'malformed'; reason: string };

interface V3Event {
  event?: {
    id?: string;
    event_type?: string;
    occurred_at?: string;
    agent?: { summary?: string } | null;
    data?: { incident_key?: string; html_url?: string };
  };
}

/** One v3 webhook delivery (its signature already checked). Redeliveries change nothing twice. */
export async function handlePagerDutyEvent(
  ctx: IncidentContext,
  channel: string,
  rawBody: string,
): Promise<PagerDutyEventResult> {
  let parsed: V3Event;
  try {
    parsed = JSON.parse(rawBody) as V3Event;
  } catch {
    return { status: 'malformed', reason: 'the body is not JSON' };
  }
  const event = parsed?.event;
  if (!event || typeof event.event_type !== 'string')
    return { status: 'malformed', reason: 'no event.event_type: not a PagerDuty v3 webhook' };
  if (event.event_type !== 'incident.acknowledged')
    return { status: 'ignored', reason: `${event.event_type} changes nothing in opsbook` };
  const key = event.data?.incident_key ?? '';
  const id = /^opsbook:incident:(.+)$/.exec(key)?.[1];
  const found = id ? await ctx.store.incidents.getIncident(id) : undefined;
  // By id only: getIncident also takes a number, which no key of ours is.
  const incident = found?.id === id ? found : undefined;
  if (!incident) return { status: 'ignored', reason: 'not an incident opsbook opened in PagerDuty' };
  const who = event.agent?.summary ?? 'someone';
  const entry = {
    kind: 'pagerduty',
    // The delivery's event id: PagerDuty retries deliveries, and the timeline records each event once.
    ...(event.id ? { key: `pagerduty:${event.id}` } : {}),
    message: `Acknowledged in PagerDuty by ${who} (channel ${channel})`,
    data: { channel, event: event.id ?? null, url: event.data?.html_url ?? null },
  };
  if (event.id && (await ctx.store.incidents.findTimelineKey(`pagerduty:${event.id}`)))
    return { status: 'ignored', reason: 'this event was already received' };
  const result = await acknowledgeIncident(ctx, incident.id, {
    actor: `${who} (PagerDuty)`,
    via: 'PagerDuty',
    extra: [entry],
  });
  if (!result.changed) {
    await ctx.store.incidents.addTimeline(incident.id, [entry]);
    return { status: 'ignored', reason: `incident #${incident.number} was already ${incident.state}` };
  }
  return { status: 'acknowledged', number: incident.number };
}
