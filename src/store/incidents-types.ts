/**
 * The incidents part of the store (`store.incidents`): incident records and their timelines. Updates are
 * compare-and-set on a version, and timeline entries with a key are written once, so two instances (or a
 * replay after a crash) never record or advance the same thing twice.
 */
import type { NewOutboxNotification } from './alerting-types.js';
import type { JsonValue } from './json.js';

export type IncidentsTable = 'incidents' | 'incident_timeline';

/** `triggered` -> `acknowledged` -> `resolved`; the Statuspage words are public update states. */
export type IncidentState =
  | 'triggered'
  | 'acknowledged'
  | 'investigating'
  | 'identified'
  | 'monitoring'
  | 'resolved';

export interface IncidentRecord {
  id: string;
  /** Small and sequential: what people type (`opsbook incident ack 7`). */
  number: number;
  environment: string;
  title: string;
  severity: string;
  state: IncidentState;
  services: string[];
  commander: string | null;
  /** Alerts with the same key join this incident while it is open. */
  dedupKey: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  summary: string | null;
  /** The escalation policy snapshot taken at open and where it stands. */
  escalation: JsonValue | null;
  /** When the escalation needs attention next; null when it has nothing left to do. */
  nextAt: string | null;
  /** Increases with every update. */
  version: number;
  updatedAt: string;
}

export interface NewIncident {
  environment: string;
  title: string;
  severity: string;
  services?: string[];
  commander?: string | null;
  dedupKey?: string | null;
  escalation?: JsonValue;
  nextAt?: string | null;
  /** Default: now. */
  openedAt?: string;
  /** Written with the incident, in the same transaction. */
  timeline?: NewTimelineEntry[];
}

export interface IncidentPatch {
  title?: string;
  severity?: string;
  state?: IncidentState;
  services?: string[];
  commander?: string | null;
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
  resolvedAt?: string | null;
  summary?: string | null;
  escalation?: JsonValue;
  nextAt?: string | null;
}

export interface UpdateIncidentOptions {
  /** Only when the incident is in one of these states. */
  ifState?: IncidentState[];
  /** Only when the incident still has this version (what the caller read). */
  ifVersion?: number;
  /** Written in the same transaction, only when the update applied. */
  timeline?: NewTimelineEntry[];
  /** Enqueued in the same transaction, only when the update applied (so an escalation step sends once). */
  notifications?: NewOutboxNotification[];
}

export interface TimelineEntry {
  id: number;
  incidentId: string;
  at: string;
  /** e.g. `alert`, `notify`, `ack`, `update`, `note`, `resolve`, `breach`. */
  kind: string;
  message: string;
  actor: string | null;
  /** Shown on the status page (public updates). */
  public: boolean;
  data: JsonValue | null;
  key: string | null;
}

export interface NewTimelineEntry {
  kind: string;
  message: string;
  actor?: string | null;
  public?: boolean;
  data?: JsonValue;
  at?: string;
  /** Unique in the store: an entry with a key already written is skipped (include the incident id to scope it). */
  key?: string;
}

export interface ListIncidentsOptions {
  environment?: string;
  /** Only open (not resolved) incidents. */
  open?: boolean;
  /** Only incidents open at or after this time (resolved after it, or still open). */
  since?: string;
  /** Default 100. */
  limit?: number;
}

export interface IncidentsStore {
  /** Opens an incident, or returns the open one with the same dedup key (`created: false`). */
  openIncident(incident: NewIncident): Promise<{ incident: IncidentRecord; created: boolean }>;
  /** By id or number. */
  getIncident(ref: string): Promise<IncidentRecord | undefined>;
  /** Newest first. */
  listIncidents(options?: ListIncidentsOptions): Promise<IncidentRecord[]>;
  /** undefined when there is no such incident or a condition did not hold. */
  updateIncident(
    id: string,
    patch: IncidentPatch,
    options?: UpdateIncidentOptions,
  ): Promise<IncidentRecord | undefined>;
  /** Returns how many entries were new. */
  addTimeline(incidentId: string, entries: readonly NewTimelineEntry[]): Promise<number>;
  /** Oldest first. */
  listTimeline(incidentId: string): Promise<TimelineEntry[]>;
  /** The incident holding the timeline entry with this key. */
  findTimelineKey(key: string): Promise<string | undefined>;
  /** Open incidents whose escalation is due at `now`. */
  listDueIncidents(environment: string, now: string): Promise<IncidentRecord[]>;
}
