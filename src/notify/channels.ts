/** Channel senders: console, Slack incoming webhook, HMAC-signed webhook, email over SMTP, PagerDuty Events v2. */
import { createHmac } from 'node:crypto';
import type { Channel, SecretRef } from '../config/index.js';
import { sendEmail } from './email.js';
import { postJson } from './http.js';
import { sendPagerDuty } from './pagerduty.js';
import { resolveSecret } from './secret.js';
import type { ChannelContext, Notification } from './types.js';

export { RetryableError } from './http.js';

function slackText(n: Notification): string {
  const icon = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' }[
    n.severity
  ];
  const fields = Object.entries(n.fields ?? {}).map(([k, v]) => `• *${k}:* ${v}`);
  return [`${icon} *${n.title}*`, n.text, ...fields].filter(Boolean).join('\n');
}

export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** An alert goes out in Alertmanager's webhook shape (version 4), anything else in opsbook's own (version 1). */
export function webhookBody(name: string, n: Notification): string {
  if (!n.alert) return JSON.stringify({ version: '1', ...n });
  const a = n.alert;
  return JSON.stringify({
    version: '4',
    groupKey: a.groupKey,
    truncatedAlerts: 0,
    status: a.status,
    receiver: name,
    groupLabels: a.groupLabels,
    commonLabels: a.commonLabels,
    commonAnnotations: a.commonAnnotations,
    externalURL: a.externalURL ?? '',
    alerts: a.alerts,
  });
}

/** A webhook URL kept as a secret: its path is the token, and a failing server may echo the path alone. */
function resolveSecretUrl(ref: SecretRef | string, ctx: ChannelContext, what: string): string {
  const url = resolveSecret(ref, ctx.env, ctx.redactor, what);
  if (typeof ref !== 'string' && URL.canParse(url)) {
    const { pathname, search } = new URL(url);
    ctx.redactor.add([`${pathname}${search}`]);
  }
  return url;
}

export async function sendOnce(
  name: string,
  channel: Channel,
  n: Notification,
  ctx: ChannelContext,
): Promise<void> {
  switch (channel.type) {
    case 'console':
      ctx.print(`[${n.severity}] ${n.title}${n.text ? ` — ${n.text}` : ''}`);
      return;
    case 'slack': {
      const url = resolveSecretUrl(channel.webhook, ctx, `channel ${name}`);
      return postJson(
        url,
        JSON.stringify({ text: slackText(n), ...(channel.channel ? { channel: channel.channel } : {}) }),
        {},
        ctx,
      );
    }
    case 'webhook': {
      const url = resolveSecretUrl(channel.url, ctx, `channel ${name}`);
      const body = webhookBody(name, n);
      const timestamp = String(Math.floor(Date.parse(n.at) / 1000));
      const headers: Record<string, string> = {
        'x-opsbook-event': n.event,
        'x-opsbook-timestamp': timestamp,
        ...(n.id ? { 'x-opsbook-delivery': n.id } : {}),
        // A credential header is read from the environment and masked like every other secret.
        ...Object.fromEntries(
          Object.entries(channel.headers ?? {}).map(([k, v]) => [
            k,
            resolveSecret(v, ctx.env, ctx.redactor, `channel ${name} header ${k}`),
          ]),
        ),
      };
      if (channel.secret)
        headers['x-opsbook-signature'] = signPayload(
          resolveSecret(channel.secret, ctx.env, ctx.redactor, `channel ${name}`),
          timestamp,
          body,
        );
      return postJson(url, body, headers, ctx);
    }
    case 'email':
      return sendEmail(name, channel, n, ctx);
    case 'pagerduty':
      return sendPagerDuty(
        resolveSecret(channel.routingKey, ctx.env, ctx.redactor, `channel ${name}`),
        n,
        channel.eventsUrl ? { ...ctx, pagerDutyUrl: channel.eventsUrl } : ctx,
      );
  }
}
