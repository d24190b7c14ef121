/** The alert engine's plain data: compiled rules, what a rule observed, and the state persisted between ticks. */
import type { BurnWindow } from '../slo/index.js';

export type Labels = Record<string, string>;

export type AlertCondition =
  | { kind: 'down' }
  | { kind: 'consecutive-failures'; count: number }
  /** `above` is a ratio (0.05 for 5%). */
  | { kind: 'error-rate'; above: number; windowMs: number; minSamples: number }
  /** `percentile` is 0-100. */
  | { kind: 'latency'; percentile: number; aboveMs: number; windowMs: number; minSamples: number }
  | { kind: 'certificate'; withinMs: number }
  | { kind: 'burn-rate'; slo: string; windows: BurnWindow[]; minSamples: number }
  /** The monitor engine of the evaluating instance starts checks late (src/monitors/pace.ts). */
  | { kind: 'falling-behind' };

export type NoticeSeverity = 'info' | 'warning' | 'critical';

/** A rule from the config, for one service, with every default applied. */
export interface AlertRule {
  /** The config alert's id, or `<slo>-burn-page` / `<slo>-burn-ticket` for generated SLO alerts. */
  id: string;
  service: string;
  condition: AlertCondition;
  forMs: number;
  keepFiringForMs: number;
  repeatIntervalMs: number;
  /** The incident severity named in the config (e.g. P1), if any. */
  severity?: string;
  /** How loud the notification is: critical pages. */
  notice: NoticeSeverity;
  channels: string[];
  description?: string;
  /** alertname, service, environment, condition, and severity when set. */
  labels: Labels;
}

/** What evaluating a rule's condition found at one tick. */
export interface Observation {
  active: boolean;
  /** The measured value (ratio, ms, count...) when there was one. */
  value?: number;
  /** A sentence for people, e.g. "error rate 12% over 5m (24 checks)". */
  summary: string;
}

export type AlertStatus = 'inactive' | 'pending' | 'firing';

/** Group notification bookkeeping: what the channels were last told. */
export interface GroupState {
  /** Notifications produced so far; the next one gets seq + 1 (part of its dedup key). */
  seq: number;
  /** What the last notification said; undefined before the first. */
  notified?: 'firing' | 'resolved';
  lastNotifiedAt?: number;
}

/** The state of one rule for one service, persisted between ticks (times in epoch ms). */
export interface AlertState {
  status: AlertStatus;
  /** When the condition became true (start of pending). */
  activeAt?: number;
  /** When it started firing: the notification's startsAt. */
  firedAt?: number;
  /** The last tick the condition held: keepFiringFor counts from here. */
  lastActiveAt?: number;
  /** When it last stopped firing: the notification's endsAt. */
  resolvedAt?: number;
  value?: number;
  summary?: string;
  /** Why its notifications are held back, as of the last evaluation. */
  mutedBy?: MutedBy;
  group: GroupState;
}

export type MutedBy = { silence: string } | { inhibitedBy: string };

export type Transition = 'pending' | 'firing' | 'resolved' | 'cleared';

export interface AlertNotificationAlert {
  status: 'firing' | 'resolved';
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  /** Alertmanager's zero time while firing. */
  endsAt: string;
  fingerprint: string;
}

/** One group notification: what every channel of the rule is sent, once. */
export interface AlertNotification {
  /** `<environment>/<rule>/<service>/<status>/<seq>`: unique per transition and repeat. */
  dedupKey: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  seq: number;
  ruleId: string;
  service: string;
  environment: string;
  channels: string[];
  notice: NoticeSeverity;
  /** A repeat of an unchanged firing group (repeatInterval). */
  repeat: boolean;
  title: string;
  text: string;
  at: string;
  groupLabels: Labels;
  commonLabels: Labels;
  commonAnnotations: Labels;
  alerts: AlertNotificationAlert[];
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';
