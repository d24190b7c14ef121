import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../../test/support/notify/receivers.js';
import type { Channel } from '../config/index.js';
import { createRedactor } from '../redact/index.js';
import { send } from './send.js';
import type { ChannelContext, Notification } from './types.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
const http = async (status?: number): Promise<HttpReceiver> => {
  const r = await startHttpReceiver(status);
  open.push(r);
  return r;
};
const smtp = async (): Promise<SmtpReceiver> => {
  const r = await startSmtpReceiver();
  open.push(r);
  return r;
};

function ctx(env: NodeJS.ProcessEnv = {}, pagerDutyUrl?: string): ChannelContext {
  return {
    fetch,
    env,
    signal: new AbortController().signal,
    redactor: createRedactor(),
    sleep: async () => {},
    print: () => {},
    ...(pagerDutyUrl ? { pagerDutyUrl } : {}),
  };
}

const alertNotice = (status: 'firing' | 'resolved'): Notification => ({
  event: `alert.${status}`,
  id: `production/api-down/api/${status}/1`,
  title: `[${status.toUpperCase()}] api-down on api (production)`,
  text: 'api down (deep: HTTP 503)',
  severity: status === 'firing' ? 'critical' : 'info',
  at: '2030-01-01T00:05:00.000Z',
  alert: {
    groupKey: '{}:{environment="production", alertname="api-down", service="api"}',
    status,
    groupLabels: { alertname: 'api-down', service: 'api' },
    commonLabels: { alertname: 'api-down', service: 'api', environment: 'production', condition: 'down' },
    commonAnnotations: { summary: 'api down (deep: HTTP 503)' },
    alerts: [
      {
        status,
        labels: { alertname: 'api-down', service: 'api', environment: 'production', condition: 'down' },
        annotations: { summary: 'api down (deep: HTTP 503)' },
        startsAt: '2030-01-01T00:04:00.000Z',
        endsAt: status === 'resolved' ? '2030-01-01T00:05:00.000Z' : '0001-01-01T00:00:00Z',
        fingerprint: '0123456789abcdef',
      },
    ],
  },
});

describe('webhook channel with alerts', () => {
  it('posts the Alertmanager v4 payload, HMAC-signed, with a delivery id to deduplicate on', async () => {
    const r = await http();
    const result = await send(
      'hook',
      { type: 'webhook', url: `${r.url}/alerts`, secret: { env: 'HOOK_SECRET' } },
      alertNotice('firing'),
      ctx({ HOOK_SECRET: 'signing-key-123' }),
    );
    expect(result.ok).toBe(true);
    const { headers, body } = r.received[0]!;
    const expected = createHmac('sha256', 'signing-key-123')
      .update(`${headers['x-opsbook-timestamp']}.${body}`)
      .digest('hex');
    expect(headers['x-opsbook-signature']).toBe(`sha256=${expected}`);
    expect(headers['x-opsbook-delivery']).toBe('production/api-down/api/firing/1');
    expect(JSON.parse(body)).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'hook',
      groupKey: '{}:{environment="production", alertname="api-down", service="api"}',
      groupLabels: { alertname: 'api-down', service: 'api' },
      alerts: [{ status: 'firing', startsAt: '2030-01-01T00:04:00.000Z', endsAt: '0001-01-01T00:00:00Z' }],
    });
  });
});

describe('webhook channel kept as a secret', () => {
  it('never reports the URL path, the token, when the server echoes it alone', async () => {
    const c = {
      ...ctx({ HOOK_URL: 'https://hooks.example.test/T0001/B0002/tok3n-98765' }),
      fetch: (async (url: string) =>
        new Response(`Cannot POST ${new URL(url).pathname}`, { status: 404 })) as typeof fetch,
    };
    const result = await send(
      'hook',
      { type: 'webhook', url: { env: 'HOOK_URL' } },
      alertNotice('firing'),
      c,
    );
    expect(result.ok).toBe(false);
    expect(result.error).toBe('HTTP 404 Cannot POST [REDACTED]');
  });
});

describe('webhook channel with a credential header', () => {
  it('sends the header from the environment and never reports its value when the server echoes it', async () => {
    let sent: Headers | undefined;
    const c = {
      ...ctx({ HOOK_TOKEN: 'Bearer tok3n-98765-secret' }),
      fetch: (async (_url: string, init: RequestInit) => {
        sent = new Headers(init.headers);
        return new Response(`bad credentials: ${sent.get('authorization')}`, { status: 401 });
      }) as typeof fetch,
    };
    const result = await send(
      'hook',
      {
        type: 'webhook',
        url: 'https://hooks.example.test/in',
        headers: { Authorization: { env: 'HOOK_TOKEN' } },
      },
      alertNotice('firing'),
      c,
    );
    expect(sent?.get('authorization')).toBe('Bearer tok3n-98765-secret');
    expect(result).toMatchObject({ ok: false, error: 'HTTP 401 bad credentials: [REDACTED]' });
  });
});

describe('pagerduty channel', () => {
  it('triggers then resolves one PagerDuty alert through the same dedup key', async () => {
    const r = await http(202);
    const channel = { type: 'pagerduty', routingKey: { env: 'PD_KEY' } } as const;
    const c = ctx({ PD_KEY: 'R0UT1NGKEY0000000000000000000000' }, r.url);
    expect((await send('pd', channel, alertNotice('firing'), c)).ok).toBe(true);
    expect((await send('pd', channel, alertNotice('resolved'), c)).ok).toBe(true);
    const [trigger, resolve] = r.received.map((x) => ({ path: x.path, body: JSON.parse(x.body) }));
    expect(trigger).toMatchObject({
      path: '/v2/enqueue',
      body: {
        routing_key: 'R0UT1NGKEY0000000000000000000000',
        event_action: 'trigger',
        payload: {
          severity: 'critical',
          source: 'api',
          component: 'api',
          group: 'production',
          class: 'down',
        },
      },
    });
    expect(trigger!.body.payload.summary).toContain('api-down');
    expect(resolve).toMatchObject({ path: '/v2/enqueue', body: { event_action: 'resolve' } });
    expect(resolve!.body.dedup_key).toBe(trigger!.body.dedup_key);
  });

  it('acknowledges, and sends anything that is not an alert as a change event that pages nobody', async () => {
    const r = await http(202);
    const channel = { type: 'pagerduty', routingKey: { env: 'PD_KEY' } } as const;
    const c = ctx({ PD_KEY: 'key' }, r.url);
    await send('pd', channel, { ...alertNotice('firing'), event: 'alert.acknowledged' }, c);
    await send(
      'pd',
      channel,
      {
        event: 'deploy.succeeded',
        title: 'Deployed',
        text: '',
        severity: 'info',
        at: '2030-01-01T00:00:00.000Z',
      },
      c,
    );
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ event_action: 'acknowledge' });
    expect(r.received[1]!.path).toBe('/v2/change/enqueue');
    expect(JSON.parse(r.received[1]!.body)).not.toHaveProperty('event_action');
  });

  it('does not retry a 400 (bad event) but retries a 429', async () => {
    const r = await http(202);
    r.statuses.push(400);
    const channel = { type: 'pagerduty', routingKey: { env: 'PD_KEY' } } as const;
    const bad = await send('pd', channel, alertNotice('firing'), ctx({ PD_KEY: 'k' }, r.url));
    expect(bad).toMatchObject({ ok: false, attempts: 1, retryable: false });
    r.statuses.push(429);
    const limited = await send('pd', channel, alertNotice('firing'), ctx({ PD_KEY: 'k' }, r.url));
    expect(limited).toMatchObject({ ok: true, attempts: 2 });
  });
});

describe('email channel', () => {
  const channel = (port: number): Channel => ({
    type: 'email',
    to: ['oncall@example.com', 'team@example.com'],
    from: 'opsbook@example.com',
    smtp: { host: '127.0.0.1', port, secure: false },
  });

  it('delivers a plain-text mail over SMTP with a stable Message-ID', async () => {
    const r = await smtp();
    const result = await send('mail', channel(r.port), alertNotice('firing'), ctx());
    expect(result.ok).toBe(true);
    const [mail] = r.mails;
    expect(mail).toMatchObject({
      from: 'opsbook@example.com',
      to: ['oncall@example.com', 'team@example.com'],
      subject: '[FIRING] api-down on api (production)',
      messageId: '<production.api-down.api.firing.1@opsbook>',
    });
    expect(mail!.body).toContain('api down (deep: HTTP 503)');
    expect(mail!.body).toContain('alertname: api-down');
  });

  it('marks a 4xx SMTP reply retryable and a 5xx one permanent', async () => {
    const r = await smtp();
    r.rejections.push(451, 550);
    const temporary = await send('mail', channel(r.port), alertNotice('firing'), ctx(), { retries: 0 });
    const permanent = await send('mail', channel(r.port), alertNotice('firing'), ctx(), { retries: 0 });
    expect(temporary).toMatchObject({ ok: false, retryable: true });
    expect(permanent).toMatchObject({ ok: false, retryable: false });
    expect(r.mails).toHaveLength(0);
  });

  it('reports an unreachable SMTP server as retryable', async () => {
    const r = await smtp();
    await r.close();
    const result = await send('mail', channel(r.port), alertNotice('firing'), ctx(), { retries: 0 });
    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});
