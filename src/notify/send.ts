/** Sends with retries and backoff; a channel that is down is reported, never thrown, so it cannot block a run. */
import type { Channel } from '../config/index.js';
import { printable } from '../probes/index.js';
import { backoffDelay } from '../timing/index.js';
import { RetryableError, sendOnce } from './channels.js';
import type { ChannelContext, Notification, SendResult } from './types.js';

export interface SendOptions {
  retries?: number;
  baseDelayMs?: number;
}

export async function send(
  name: string,
  channel: Channel,
  n: Notification,
  ctx: ChannelContext,
  options: SendOptions = {},
): Promise<SendResult> {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 500;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      await sendOnce(name, channel, n, ctx);
      return { channel: name, ok: true, attempts };
    } catch (error) {
      // The error quotes the receiver (a webhook's answer, an SMTP server's reply): serve logs it and the outbox keeps
      // it, so its control characters are written as \xNN and never reach a terminal.
      const message = printable(ctx.redactor.redact((error as Error).message));
      const retryable = error instanceof RetryableError;
      if (!retryable || attempts > retries || ctx.signal.aborted)
        return { channel: name, ok: false, attempts, error: message, retryable };
      await ctx.sleep(backoffDelay(attempts, { baseMs: base, jitter: 'equal' })).catch(() => undefined);
    }
  }
}

/** Sends one notification to several channels at once. */
export async function broadcast(
  channels: Record<string, Channel>,
  names: string[],
  n: Notification,
  ctx: ChannelContext,
  options?: SendOptions,
): Promise<SendResult[]> {
  return Promise.all(
    names.map((name) => {
      const channel = channels[name];
      return channel
        ? send(name, channel, n, ctx, options)
        : Promise.resolve({ channel: name, ok: false, attempts: 0, error: 'no such channel' });
    }),
  );
}
