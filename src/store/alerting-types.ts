/**
 * The alerting part of the store (`store.alerting`): each alert rule's persisted state, silences, and the
 * notification outbox. Times in records are ISO-8601 UTC strings.
 */
import type { JsonValue } from './json.js';

export type AlertingTable = 'alert_states' | 'alert_silences' | 'notification_outbox';

export interface AlertStateRecord {
  environment: string;
  ruleId: string;
  service: string;
  status: 'inactive' | 'pending' | 'firing';
  /** The alert engine's state for this rule and service. */
  state: JsonValue;
  updatedAt: string;
}

export type NewAlertState = Omit<AlertStateRecord, 'updatedAt'>;

export interface NewOutboxNotification {
  /** Unique: enqueueing the same key again is a no-op, so a replayed evaluation cannot send twice. */
  dedupKey: string;
  environment: string;
  /** The channel's name in the config. */
  channel: string;
  /** What the channel is sent (never a secret: channels resolve theirs when sending). */
  payload: JsonValue;
  /** Default: now. */
  dueAt?: string;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxRecord {
  id: string;
  dedupKey: string;
  environment: string;
  channel: string;
  payload: JsonValue;
  status: OutboxStatus;
  /** Sends started (a lease counts as one). */
  attempts: number;
  dueAt: string;
  leaseHolder: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface LeaseOptions {
  /** Who sends, e.g. `host:pid`; only the holder can mark the row. */
  holder: string;
  /** Another sender may take the row after this long (a crashed sender's rows come back). */
  leaseMs: number;
  /** Default 20. */
  limit?: number;
}

export interface SilenceMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface SilenceRecord {
  id: string;
  /** null: every environment. */
  environment: string | null;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
}

export interface NewSilence {
  environment?: string | null;
  matchers: SilenceMatcher[];
  /** Default: now. */
  startsAt?: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface ListSilencesOptions {
  /** Only silences for this environment (or for all). */
  environment?: string;
  /** Include silences that have ended. Default false. */
  includeExpired?: boolean;
  /** The moment "ended" is judged at (ms); default now. The alert runner passes its own clock. */
  activeAt?: number;
}

export interface AlertingStore {
  listAlertStates(environment: string): Promise<AlertStateRecord[]>;
  /**
   * Saves alert states, deletes those of rules no longer configured, and enqueues notifications, all in
   * one transaction: a crash keeps all of it or none. Returns how many notifications were new.
   */
  commitEvaluation(evaluation: {
    environment: string;
    states: readonly NewAlertState[];
    deleted?: readonly { ruleId: string; service: string }[];
    notifications: readonly NewOutboxNotification[];
  }): Promise<{ enqueued: number }>;

  addSilence(silence: NewSilence): Promise<SilenceRecord>;
  /** Newest first. */
  listSilences(options?: ListSilencesOptions): Promise<SilenceRecord[]>;
  getSilence(id: string): Promise<SilenceRecord | undefined>;
  /** Ends the silence now; undefined when there is no such silence. */
  expireSilence(id: string): Promise<SilenceRecord | undefined>;

  /** Inserts the notifications whose dedup key is new; returns how many were. */
  enqueueNotifications(notifications: readonly NewOutboxNotification[]): Promise<number>;
  /**
   * Leases pending notifications that are due and not leased by anyone else, oldest first
   * (FOR UPDATE SKIP LOCKED on PostgreSQL, so concurrent senders never share a row).
   */
  leaseNotifications(options: LeaseOptions): Promise<OutboxRecord[]>;
  /** Marks a leased row sent; false when the lease was lost to another sender. */
  markSent(id: string, holder: string): Promise<boolean>;
  /** Puts a leased row back for a retry at `retryAt`, or fails it for good without one. */
  markFailed(id: string, holder: string, failure: { error: string; retryAt?: string }): Promise<boolean>;
  /** Newest first. */
  listNotifications(options?: {
    environment?: string;
    status?: OutboxStatus;
    limit?: number;
  }): Promise<OutboxRecord[]>;
}
