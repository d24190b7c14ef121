/** The state store's records and its one interface, shared by the SQLite and PostgreSQL backends. */
import type { AlertingStore } from './alerting-types.js';
import type { IncidentsStore } from './incidents-types.js';
import type { JsonValue } from './json.js';
import type { MonitoringStore } from './monitoring-types.js';

export type { JsonValue } from './json.js';

export type StoreBackend = 'sqlite' | 'postgres';

// `string & {}` keeps editor completion for the known values while later issues add their own.
export type RunKind = 'check' | 'deploy' | 'migrate' | 'rollback' | 'verify' | (string & {});
export type RunStatus =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'cancelled'
  | 'interrupted'
  | (string & {});
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | (string & {});
export type EventLevel = 'debug' | 'info' | 'warn' | 'error' | (string & {});

/** One recorded run (a check, deploy, migration...). Times are ISO-8601 UTC strings. */
export interface RunRecord {
  /** Time-ordered unique id (ULID): sorting ids sorts runs by creation. */
  id: string;
  kind: RunKind;
  environment: string | null;
  status: RunStatus;
  /** Who started it: git user or $USER. */
  actor: string | null;
  startedAt: string;
  finishedAt: string | null;
  summary: JsonValue | null;
}

export interface NewRun {
  /** Default: a new id. A caller that must name the run before it exists (a lock holder) passes `newRunId()`. */
  id?: string;
  kind: RunKind;
  environment?: string | null;
  /** Default 'running'. */
  status?: RunStatus;
  actor?: string | null;
  summary?: JsonValue;
  /** Default: now. */
  startedAt?: string;
}

export interface RunPatch {
  status?: RunStatus;
  finishedAt?: string | null;
  summary?: JsonValue;
}

export interface ListRunsOptions {
  kind?: RunKind;
  environment?: string;
  status?: RunStatus;
  /** Default 50. */
  limit?: number;
}

export interface StepRecord {
  id: string;
  runId: string;
  name: string;
  status: StepStatus;
  startedAt: string;
  finishedAt: string | null;
  detail: JsonValue | null;
}

export interface NewStep {
  name: string;
  /** Default 'running'. */
  status?: StepStatus;
  detail?: JsonValue;
  startedAt?: string;
}

export interface StepPatch {
  status?: StepStatus;
  finishedAt?: string | null;
  detail?: JsonValue;
}

export interface EventRecord {
  /** Increases with every event appended; follow a live run with `listEvents(runId, { afterId })`. */
  id: number;
  runId: string;
  at: string;
  level: EventLevel;
  type: string;
  message: string;
  data: JsonValue | null;
}

export interface NewEvent {
  level: EventLevel;
  type: string;
  message: string;
  data?: JsonValue;
  at?: string;
}

export interface ListEventsOptions {
  /** Only events with a greater id. */
  afterId?: number;
  /** Default 1000. */
  limit?: number;
}

export interface LockInfo {
  name: string;
  holder: string;
  acquiredAt: string;
  /** null: held until released. */
  expiresAt: string | null;
  reason: string | null;
}

export interface AcquireLockOptions {
  /** Who holds it, e.g. `alice@laptop (pid 4242)`. Acquiring again with the same holder renews the lock. */
  holder: string;
  /** The lock expires after this long and can then be taken over. Default: never. */
  ttlMs?: number;
  reason?: string;
}

export type AcquireLockResult = { acquired: true; lock: LockInfo } | { acquired: false; heldBy: LockInfo };

/**
 * The state store. Every string written passes through the output redactor first, so a registered
 * secret never reaches the database.
 */
export interface Store {
  readonly backend: StoreBackend;
  /** Where the data lives: the SQLite file path, or the PostgreSQL URL with its password masked. */
  readonly location: string;

  createRun(run: NewRun): Promise<RunRecord>;
  /** undefined when there is no such run. */
  updateRun(id: string, patch: RunPatch): Promise<RunRecord | undefined>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;

  /**
   * `run`, when given, patches the step's run in the same transaction: a journal that records a step and its run's
   * state together commits once (on SQLite one pair of fsyncs instead of two).
   */
  addStep(runId: string, step: NewStep, run?: RunPatch): Promise<StepRecord>;
  updateStep(stepId: string, patch: StepPatch, run?: RunPatch): Promise<StepRecord | undefined>;
  /** In the order they started. */
  listSteps(runId: string): Promise<StepRecord[]>;

  appendEvent(runId: string, event: NewEvent): Promise<EventRecord>;
  /** Oldest first. Ids grow in commit order as long as one process writes a run's events (the usual case). */
  listEvents(runId: string, options?: ListEventsOptions): Promise<EventRecord[]>;

  /** Atomic: of any number of concurrent callers (any process) exactly one acquires a free or expired lock. */
  acquireLock(name: string, options: AcquireLockOptions): Promise<AcquireLockResult>;
  /** Releases the lock if `holder` holds it; false otherwise. `run`, when given, is patched in the same transaction. */
  releaseLock(name: string, holder: string, run?: { id: string; patch: RunPatch }): Promise<boolean>;
  /** The lock if it is held and not expired. */
  getLock(name: string): Promise<LockInfo | undefined>;
  /** Releases whoever holds it (the `unlock` escape hatch); false when it was not held. */
  forceReleaseLock(name: string): Promise<boolean>;

  getCache(key: string): Promise<JsonValue | undefined>;
  putCache(key: string, value: JsonValue): Promise<void>;

  /** Monitor schedule, samples and rollups (src/store/monitoring-types.ts). */
  readonly monitoring: MonitoringStore;
  /** Alert states, silences and the notification outbox (src/store/alerting-types.ts). */
  readonly alerting: AlertingStore;
  /** Incidents and their timelines (src/store/incidents-types.ts). */
  readonly incidents: IncidentsStore;

  /** Frees the connection (SQLite: its WASM memory). Always call it. */
  close(): Promise<void>;
}
