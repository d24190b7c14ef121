/**
 * Delivers the notification outbox: lease due rows (no other sender gets them while leased), send each
 * once, then mark it sent, or schedule a retry with backoff, or fail it for good. A sender that dies
 * mid-send leaves its rows leased; they come back when the lease runs out. The one window where a
 * receiver can get a message twice is a crash between its send returning and the mark being written.
 */
import type { Channel } from '../config/index.js';
import type { AlertingStore, OutboxRecord } from '../store/index.js';
import { backoffDelay } from '../timing/index.js';
import { send } from './send.js';
import type { ChannelContext, Notification } from './types.js';

export interface DeliverOutboxOptions {
  outbox: Pick<AlertingStore, 'leaseNotifications' | 'markSent' | 'markFailed'>;
  channels: Record<string, Channel>;
  ctx: ChannelContext;
  /** This sender, e.g. `host:pid`. */
  holder: string;
  now: () => number;
  /** Longer than the slowest send (HTTP times out at 10 s, SMTP at 40 s). Default 60 s. */
  leaseMs?: number;
  /** Rows per pass. Default 20. */
  limit?: number;
  /** Give up after this many sends. Default 10 (about 4 hours with the default backoff). */
  maxAttempts?: number;
  /** Wait before attempt n+1. Default 30 s doubling per attempt, at most 1 h. */
  backoffMs?: (attempts: number) => number;
  /**
   * Why a row is no longer worth sending (a page of an incident acknowledged or resolved since it was queued), or
   * undefined to send it. Such a row is settled unsent instead of paging someone for what is over.
   */
  obsolete?: (row: OutboxRecord) => Promise<string | undefined>;
  /** A send failed (`retryAt`: when it is tried again; absent: given up). Without it a broken channel went unheard. */
  onFailure?: (failure: { channel: string; error: string; retryAt?: string; dedupKey: string }) => void;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Leases taken over by another sender before this one could mark them (it had run past its lease). */
  lost: number;
  /** Settled unsent: `obsolete` said what they announce is over. */
  dropped: number;
}

const defaultBackoff = (attempts: number) => backoffDelay(attempts, { baseMs: 30_000, maxMs: 3_600_000 });

/** One pass: leases up to `limit` due rows and settles each. */
export async function deliverOutbox(options: DeliverOutboxOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, lost: 0, dropped: 0 };
  const rows = await options.outbox.leaseNotifications({
    holder: options.holder,
    leaseMs: options.leaseMs ?? 60_000,
    limit: options.limit ?? 20,
  });
  await Promise.all(rows.map((row) => deliverRow(row, options, report)));
  return report;
}

async function deliverRow(row: OutboxRecord, o: DeliverOutboxOptions, report: DeliveryReport): Promise<void> {
  const over = await o.obsolete?.(row);
  if (over) {
    (await o.outbox.markFailed(row.id, o.holder, { error: `not sent: ${over}` }))
      ? report.dropped++
      : report.lost++;
    return;
  }
  const channel = o.channels[row.channel];
  const failure = channel
    ? await sendRow(row, channel, o)
    : { error: `channel '${row.channel}' is no longer configured`, retryable: false };
  if (!failure) {
    (await o.outbox.markSent(row.id, o.holder)) ? report.sent++ : report.lost++;
    return;
  }
  const again = failure.retryable && row.attempts < (o.maxAttempts ?? 10);
  const retryAt = again
    ? new Date(o.now() + (o.backoffMs ?? defaultBackoff)(row.attempts)).toISOString()
    : undefined;
  const marked = await o.outbox.markFailed(row.id, o.holder, {
    error: failure.error,
    ...(retryAt ? { retryAt } : {}),
  });
  if (!marked) report.lost++;
  else if (again) report.retrying++;
  else report.failed++;
  if (marked)
    o.onFailure?.({
      channel: row.channel,
      dedupKey: row.dedupKey,
      error: o.ctx.redactor.redact(failure.error),
      ...(retryAt ? { retryAt } : {}),
    });
}

async function sendRow(row: OutboxRecord, channel: Channel, o: DeliverOutboxOptions) {
  const n = { ...(row.payload as unknown as Notification), id: row.dedupKey };
  // One attempt per lease: retries are the outbox's, spaced by its backoff and surviving restarts.
  const result = await send(row.channel, channel, n, o.ctx, { retries: 0 });
  return result.ok ? undefined : { error: result.error ?? 'failed', retryable: result.retryable ?? false };
}
