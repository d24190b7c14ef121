/**
 * POST /integrations/pagerduty/<channel>: PagerDuty's v3 webhooks for a pagerduty channel with a
 * `webhookSecret`. The raw body is checked against `X-PagerDuty-Signature` before anything is read from
 * it; a bad or missing signature is refused (403/400, so PagerDuty does not redeliver a forgery).
 */
import { Hono } from 'hono';
import type { StackConfig } from '../config/index.js';
import { handlePagerDutyEvent, verifyPagerDutySignature } from '../incidents/index.js';
import type { Redactor } from '../redact/index.js';
import type { Store } from '../store/index.js';

export interface PagerDutyWebhookOptions {
  store: Store;
  config: StackConfig;
  env: Record<string, string | undefined>;
  redactor: Redactor;
  now?: () => number;
}

/** PagerDuty caps payloads far below this; anything larger is not from it. */
const MAX_BODY = 1_000_000;

export function createPagerDutyWebhook(options: PagerDutyWebhookOptions): Hono {
  const app = new Hono();
  const error = (code: string, message: string) => ({ error: { code, message } });
  app.post('/:channel', async (c) => {
    const name = c.req.param('channel');
    const channel = options.config.channels[name];
    const secretRef = channel?.type === 'pagerduty' ? channel.webhookSecret : undefined;
    const secret = secretRef ? options.env[secretRef.env] : undefined;
    if (!secret)
      return c.json(
        error('not-found', `no pagerduty channel '${name}' with a webhookSecret that is set here`),
        404,
      );
    options.redactor.add([secret]);
    const raw = await c.req.text();
    if (raw.length > MAX_BODY) return c.json(error('too-large', 'the body is larger than 1 MB'), 413);
    const signature = c.req.header('x-pagerduty-signature');
    if (!signature) return c.json(error('no-signature', 'the X-PagerDuty-Signature header is missing'), 400);
    if (!verifyPagerDutySignature(secret, raw, signature))
      return c.json(error('bad-signature', 'no v1 signature matches the channel webhookSecret'), 403);
    const result = await handlePagerDutyEvent(
      { store: options.store, config: options.config, ...(options.now ? { now: options.now } : {}) },
      name,
      raw,
    );
    if (result.status === 'malformed') return c.json(error('malformed', result.reason), 400);
    return c.json(result);
  });
  return app;
}
