/** A notification and the context channels send it through. */
import type { Redactor } from '../redact/index.js';

export interface Notification {
  /** What happened, e.g. `deploy.started`, `deploy.rolled-back`, `alert.firing`. */
  event: string;
  title: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
  fields?: Record<string, string>;
  at: string;
  /** Stable id receivers can deduplicate on (the outbox dedup key); sent as a header or Message-ID. */
  id?: string;
  /** Email only: these recipients instead of the channel's list (an incident pages one person). */
  to?: string[];
  /** Set for alert notifications: the group as Alertmanager's webhook shapes it. */
  alert?: AlertGroupNotice;
}

/** An alert group, as the webhook (Alertmanager v4 payload) and PagerDuty (dedup key) channels need it. */
export interface AlertGroupNotice {
  groupKey: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL?: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL?: string;
    fingerprint: string;
  }[];
}

export interface ChannelContext {
  fetch: typeof fetch;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  sleep: (ms: number) => Promise<void>;
  /** Where the console channel writes. */
  print: (line: string) => void;
  /** PagerDuty Events API base URL; default https://events.pagerduty.com (tests point it at loopback). */
  pagerDutyUrl?: string;
}

export interface SendResult {
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string;
  /** When it failed: whether trying again later could succeed (network, 429, 5xx) or not (4xx, bad config). */
  retryable?: boolean;
}
