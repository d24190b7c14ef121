/** Channel senders: console, Slack incoming webhook, and a generic HMAC-signed webhook. */
import { createHmac } from 'node:crypto';
import type { Channel } from '../config/index.js';
import { resolveSecret } from './secret.js';
import type { ChannelContext, Notification } from './types.js';

export class RetryableError extends Error {}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  ctx: ChannelContext,
): Promise<void> {
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
  } catch (error) {
    throw new RetryableError(`request failed: ${(error as Error).message}`);
  }
  const excerpt = (await response.text().catch(() => '')).slice(0, 200);
  if (response.status === 429 || response.status >= 500)
    throw new RetryableError(`HTTP ${response.status} ${excerpt}`);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${excerpt}`);
}

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
      const url = resolveSecret(channel.webhook, ctx.env, ctx.redactor, `channel ${name}`);
      return post(
        url,
        JSON.stringify({ text: slackText(n), ...(channel.channel ? { channel: channel.channel } : {}) }),
        {},
        ctx,
      );
    }
    case 'webhook': {
      const url = resolveSecret(channel.url, ctx.env, ctx.redactor, `channel ${name}`);
      const body = JSON.stringify({ version: '1', ...n });
      const timestamp = String(Math.floor(Date.parse(n.at) / 1000));
      const headers: Record<string, string> = {
        'x-opsbook-event': n.event,
        'x-opsbook-timestamp': timestamp,
        ...(channel.headers ?? {}),
      };
      if (channel.secret)
        headers['x-opsbook-signature'] = signPayload(
          resolveSecret(channel.secret, ctx.env, ctx.redactor, `channel ${name}`),
          timestamp,
          body,
        );
      return post(url, body, headers, ctx);
    }
    default:
      throw new Error(`channel type ${channel.type} cannot send ${n.event} yet`);
  }
}
