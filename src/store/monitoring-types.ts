/**
 * The monitoring part of the store (`store.monitoring`): the monitor schedule with leases (team mode),
 * instance heartbeats, raw samples, and minute/hour/day rollups with mergeable latency sketches.
 * Times in records are ISO-8601 UTC strings; time arguments take an ISO string, epoch ms or a Date.
 */

export type MonitoringTable =
  | 'monitor_schedule'
  | 'monitor_instances'
  | 'monitor_samples'
  | 'monitor_rollups'
  | 'monitor_service_rollups';

export type SampleOutcome = 'up' | 'degraded' | 'down';
export type Resolution = 'minute' | 'hour' | 'day';
export type TimeInput = string | number | Date;

export const RESOLUTION_MS: Record<Resolution, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** The persisted description of a monitor: what the schedule table holds (no secrets: `target` is shown). */
export interface MonitorDefinition {
  /** Stable across restarts and instances: `<environment>:<service>:<name>`. */
  id: string;
  environment: string;
  service: string;
  /** The health endpoint's name (or type), or `postgres` / `redis` for a connection check. */
  name: string;
  kind: 'http' | 'postgres' | 'redis' | 'heartbeat' | 'statuspage';
  /** What is checked, fit to show: `GET https://…`, or the connection without its password. */
  target: string;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
}

/** Which samples a query covers: one monitor, or every monitor of a service in an environment. */
export type MonitorSelector = { monitor: string } | { service: string; environment: string };

export interface NewSample {
  monitorId: string;
  environment: string;
  service: string;
  /** When the check started. */
  at: TimeInput;
  outcome: SampleOutcome;
  latencyMs: number;
  status?: number;
  /** Why it was down or degraded (redacted and capped before it is stored). */
  message?: string;
  /** 1 plus the retries used. Default 1. */
  attempts?: number;
}

export interface SampleRecord {
  monitorId: string;
  environment: string;
  service: string;
  at: string;
  outcome: SampleOutcome;
  latencyMs: number;
  status: number | null;
  message: string | null;
  attempts: number;
}

export interface SamplesOptions {
  /** Default 'asc'; 'desc' with `limit` gives the latest samples. */
  order?: 'asc' | 'desc';
  /** Default 10,000. */
  limit?: number;
}

/** Counts of checks: uptime is `good / total`; degraded counts as available and is also reported apart. */
export interface CheckCounts {
  total: number;
  good: number;
  degraded: number;
  down: number;
}

export interface UptimeResult extends CheckCounts {
  from: string;
  to: string;
  /** (good + degraded) / total; null without checks. */
  availability: number | null;
}

/** One rollup bucket. Latency figures cover the checks that got an answer (up or degraded). */
export interface BucketRecord extends CheckCounts {
  start: string;
  resolution: Resolution;
  latencyCount: number;
  meanMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** The quantiles asked for, in order (null in an empty bucket). */
  quantiles?: (number | null)[];
}

export interface BucketsOptions {
  /** Latency quantiles to compute per bucket, e.g. [0.5, 0.95]. */
  quantiles?: number[];
}

export interface LatencyQuantiles {
  from: string;
  to: string;
  /** Checks with a latency (up or degraded). */
  count: number;
  minMs: number | null;
  maxMs: number | null;
  meanMs: number | null;
  /** Same order as asked; each within 1% of the exact value; null without samples. */
  quantiles: { q: number; ms: number | null }[];
}

/** How long each kind of history is kept, in milliseconds. */
export interface RetentionMs {
  raw: number;
  minute: number;
  hour: number;
  day: number;
}

export interface PruneResult {
  /** False when another instance holds the pruning role right now (team mode). */
  pruned: boolean;
  deleted: { raw: number; minute: number; hour: number; day: number };
}

/** A monitor in the schedule, with its last result. */
export interface MonitorRecord extends MonitorDefinition {
  nextDueAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  last: {
    at: string;
    outcome: SampleOutcome;
    latencyMs: number;
    message: string | null;
  } | null;
}

/** What /metrics reads of every monitor on each scrape: who it is and how its last check ended. */
export interface MonitorState {
  id: string;
  environment: string;
  service: string;
  kind: MonitorRecord['kind'];
  /** Null until its first check is written. */
  lastOutcome: SampleOutcome | null;
  /** When the last check ran (epoch ms); null until the first is written. */
  lastAt: number | null;
  intervalMs: number;
  timeoutMs: number;
}

/** A check this instance has leased: run it at `dueAt`, then complete it. */
export interface ClaimedCheck {
  monitorId: string;
  dueAt: number;
  intervalMs: number;
  leaseUntil: number;
}

export interface ClaimOptions {
  /** The instance claiming. */
  owner: string;
  environment: string;
  /** Claim checks due at or before this (epoch ms): a little ahead of now, so timers can fire on time. */
  horizon: number;
  /** At most this many. */
  limit: number;
  /** Default: the store's clock. */
  now?: number;
}

export interface CheckCompletion {
  monitorId: string;
  /** The next due time (epoch ms): the previous due time plus the interval, so the schedule never drifts. */
  nextDueAt: number;
  /** The check's sample, written in the same transaction; absent when the check was not run (shutdown). */
  sample?: NewSample;
}

export interface InstanceRecord {
  instanceId: string;
  environment: string;
  startedAt: string;
  heartbeatAt: string;
  info: Record<string, string | number | boolean | null>;
}

export interface MonitoringStore {
  /**
   * Makes the schedule match these monitors of `environment`: adds new ones (spread over their interval
   * by a hash of the id, so every instance computes the same start), updates changed ones, removes
   * those no longer configured, and moves a due time missed by more than an interval to its next slot.
   */
  syncMonitors(
    environment: string,
    monitors: readonly MonitorDefinition[],
  ): Promise<{ added: number; removed: number }>;
  listMonitors(options?: { environment?: string; service?: string }): Promise<MonitorRecord[]>;
  /** The environment's monitors, in id order, with four of listMonitors' seventeen columns. */
  monitorStates(environment: string): Promise<MonitorState[]>;
  /** Leases due checks no other instance holds (FOR UPDATE SKIP LOCKED on PostgreSQL), earliest first. */
  claimDue(options: ClaimOptions): Promise<ClaimedCheck[]>;
  /**
   * Records the checks' samples (as recordSamples) and advances and releases the leased monitors, in one
   * transaction; returns how many monitors were still leased to `owner` (others are left to their new owner).
   */
  completeChecks(owner: string, completions: readonly CheckCompletion[]): Promise<number>;
  /** Releases every lease `owner` holds without advancing (a clean shutdown). */
  releaseClaims(owner: string): Promise<number>;

  heartbeat(instance: {
    instanceId: string;
    environment: string;
    info?: InstanceRecord['info'];
  }): Promise<void>;
  /** Instances whose heartbeat is newer than `aliveWithinMs` (default 30 s). */
  listInstances(options?: { aliveWithinMs?: number }): Promise<InstanceRecord[]>;
  removeInstance(instanceId: string): Promise<void>;

  /** Writes raw samples and upserts their minute, hour and day buckets, all in one transaction. */
  recordSamples(samples: readonly NewSample[]): Promise<void>;
  samples(
    selector: MonitorSelector,
    from: TimeInput,
    to: TimeInput,
    options?: SamplesOptions,
  ): Promise<SampleRecord[]>;
  /** Every bucket starting in [from, to), empty ones included (total 0), oldest first. */
  buckets(
    selector: MonitorSelector,
    resolution: Resolution,
    from: TimeInput,
    to: TimeInput,
    options?: BucketsOptions,
  ): Promise<BucketRecord[]>;
  /**
   * Check counts over [from, to): whole days, hours and minutes from their buckets, the ragged edges
   * from raw samples. Edges older than raw retention come from what is kept.
   */
  uptime(selector: MonitorSelector, from: TimeInput, to: TimeInput): Promise<UptimeResult>;
  /**
   * `uptime` of every service of the environment with checks in [from, to), in one query per part of the window
   * rather than one set per service (/metrics at 20,000 monitors: 200 services).
   */
  uptimeByService(environment: string, from: TimeInput, to: TimeInput): Promise<Map<string, UptimeResult>>;
  /** Merged latency sketches over [from, to), decomposed as for uptime. Default quantiles 0.5, 0.95, 0.99. */
  latencyQuantiles(
    selector: MonitorSelector,
    from: TimeInput,
    to: TimeInput,
    quantiles?: readonly number[],
  ): Promise<LatencyQuantiles>;
  /** Deletes history older than the retention; one instance at a time (an advisory lock on PostgreSQL). */
  prune(retention: RetentionMs, now?: TimeInput): Promise<PruneResult>;
}
