/**
 * A loopback PagerDuty, as its public docs describe it: the Events API v2 (`POST /v2/enqueue`, 202, one
 * incident per open dedup key; acknowledge and resolve apply to the open one) and a v3 webhook
 * subscription that POSTs `incident.acknowledged` with `incident_key` = the dedup key, signed
 * `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the body>` with each of the subscription's secrets.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePagerDutyIncident {
  id: string;
  number: number;
  incidentKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  title: string;
  /** Every Events v2 action applied to it, in order. */
  actions: string[];
}

export interface FakePagerDuty {
  url: string;
  readonly incidents: FakePagerDutyIncident[];
  /** Events received, including the ones PagerDuty drops (no open incident for the key). */
  readonly events: { event_action: string; dedup_key?: string; routing_key: string }[];
  /** Where the v3 webhook subscription delivers, signed with these secrets (two while rotating). */
  subscribe(url: string, secrets: string[]): void;
  /** A responder acknowledges in PagerDuty's app: the incident changes and the webhook is delivered. */
  acknowledge(incidentKey: string, by: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startFakePagerDuty(routingKey: string): Promise<FakePagerDuty> {
  const incidents: FakePagerDutyIncident[] = [];
  const events: FakePagerDuty['events'] = [];
  let subscription: { url: string; secrets: string[] } | undefined;
  const open = (key: string) => incidents.find((i) => i.incidentKey === key && i.status !== 'resolved');

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v2/enqueue') return reply(404, { status: 'not found' });
      let body: {
        routing_key?: string;
        event_action?: string;
        dedup_key?: string;
        payload?: { summary?: string };
      };
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(400, { status: 'invalid event', message: 'Event object is invalid' });
      }
      if (body.routing_key !== routingKey)
        return reply(400, { status: 'invalid event', message: 'bad routing_key' });
      const action = body.event_action ?? '';
      if (!['trigger', 'acknowledge', 'resolve'].includes(action))
        return reply(400, { status: 'invalid event', message: "'event_action' is invalid" });
      if (action === 'trigger' && !body.payload?.summary)
        return reply(400, { status: 'invalid event', message: "'payload.summary' is missing" });
      const key = body.dedup_key ?? randomUUID().replaceAll('-', '');
      events.push({ event_action: action, dedup_key: key, routing_key: routingKey });
      const current = open(key);
      if (action === 'trigger' && !current)
        incidents.push({
          id: `P${String(incidents.length + 1).padStart(6, '0')}`,
          number: incidents.length + 1,
          incidentKey: key,
          status: 'triggered',
          title: body.payload!.summary!,
          actions: ['trigger'],
        });
      else if (current) {
        current.actions.push(action);
        if (action === 'acknowledge' && current.status === 'triggered') current.status = 'acknowledged';
        if (action === 'resolve') current.status = 'resolved';
      }
      reply(202, { status: 'success', message: 'Event processed', dedup_key: key });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    incidents,
    events,
    subscribe(url, secrets) {
      subscription = { url, secrets };
    },
    async acknowledge(incidentKey, by) {
      const incident = open(incidentKey);
      if (!incident) throw new Error(`no open PagerDuty incident with key ${incidentKey}`);
      incident.status = 'acknowledged';
      if (!subscription) throw new Error('no webhook subscription');
      const payload = JSON.stringify({
        event: {
          id: randomUUID(),
          event_type: 'incident.acknowledged',
          resource_type: 'incident',
          occurred_at: new Date().toISOString(),
          agent: { id: 'PUSER01', summary: by, type: 'user_reference' },
          client: { name: 'PagerDuty' },
          data: {
            id: incident.id,
            type: 'incident',
            number: incident.number,
            status: 'acknowledged',
            incident_key: incident.incidentKey,
            title: incident.title,
            html_url: `https://acme.pagerduty.com/incidents/${incident.id}`,
            urgency: 'high',
          },
        },
      });
      const signature = subscription.secrets
        .map((s) => `v1=${createHmac('sha256', s).update(payload).digest('hex')}`)
        .join(',');
      const res = await fetch(subscription.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature },
        body: payload,
      });
      return { status: res.status, body: await res.text() };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
