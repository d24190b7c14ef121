/**
 * The monitor engine: derives the monitors, syncs them into the store's schedule, then claims, runs and
 * records checks until the signal aborts. Several engines on one PostgreSQL share the work through
 * leases; on SQLite one engine does it all. One engine at a time (an advisory lock) prunes history.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { hostname } from 'node:os';
import { parseDuration, type StackConfig } from '../config/index.js';
import type { HealthType } from '../health/index.js';
import { makeResult, type ProbeContext, type ProbeResult } from '../probes/index.js';
import type { Redactor } from '../redact/index.js';
import type {
  CheckCompletion,
  ClaimedCheck,
  NewSample,
  RetentionMs,
  SampleOutcome,
  SampleRecord,
  Store,
} from '../store/index.js';
import { type Clock, every, systemClock } from '../timing/index.js';
import { deriveMonitors, type Monitor, type MonitorNote } from './derive.js';
import { createPaceTracker, describeLateness, type PaceState } from './pace.js';
import { createRecorder } from './recorder.js';
import { startScheduler } from './scheduler.js';

export interface MonitorEngineOptions {
  store: Store;
  config: StackConfig;
  environment: string;
  /** Secret references and connection URLs are read here. */
  env: Record<string, string | undefined>;
  /** Stops the engine: checks in flight are abandoned (not recorded), leases released, buffers written. */
  signal: AbortSignal;
  /** Unique per process. Default `<hostname>:<pid>:<random>`. */
  instanceId?: string;
  redactor?: Redactor;
  fetch?: typeof fetch;
  /** Replaces the monitors derived from the config (benchmarks, tests). */
  monitors?: Monitor[];
  /** Added to the derived monitors: passive checks that read the store (heartbeats, dead-man's switches). */
  extraMonitors?: readonly Monitor[];
  /** Health endpoint types to monitor. Default liveness, readiness, deep, ping. */
  types?: readonly HealthType[];
  /**
   * Checks in flight at once. Default: enough for twice the due rate at the measured check duration, at least
   * 64 and at most 4,096.
   */
  concurrency?: number;
  /**
   * Reuse HTTP connections between checks. Cheaper at high check rates, but latency then leaves out
   * connect and TLS set-up, which an outside user pays. Default false: a fresh connection per check.
   */
  keepAlive?: boolean;
  /** Called for each sample once it is in the store (the alert engine's input). */
  onSample?: (sample: SampleRecord, monitor: Monitor) => void | Promise<void>;
  /** Called as each check finishes, before it is written: schedule lag and duration, for metrics. */
  onCheck?: (check: CheckTiming) => void;
  /** Problems that do not stop the engine: a failed write, a throwing listener. */
  log?: (level: 'warn' | 'error', message: string) => void;
  /** Claim poll (default 200 ms; SQLite 1 s) and write-behind flush (≤ 500 ms; SQLite ≤ 1 s), etc. */
  timing?: Partial<EngineTiming>;
  /** Time and timers; tests pass their own. Default the system clock. */
  clock?: Clock;
}

export interface EngineTiming {
  pollMs: number;
  flushMs: number;
  heartbeatMs: number;
  pruneEveryMs: number;
  /** How often the engine checks whether it keeps up (and says so when it does not). */
  paceMs: number;
}

export interface CheckTiming {
  monitorId: string;
  dueAt: number;
  startedAt: number;
  /** startedAt − dueAt. */
  lagMs: number;
  durationMs: number;
  outcome: SampleOutcome;
}

export interface MonitorEngineStats {
  checks: number;
  down: number;
  /** Claimed and waiting to start. */
  pending: number;
  running: number;
  /** Results not yet written. */
  unwritten: number;
  writeErrors: number;
  /** Checks per second the monitors ask for. */
  dueRate: number;
  /** Checks allowed in flight now (it follows the due rate and the measured check duration). */
  concurrency: number;
  /** Whether the engine keeps up, over the last pace window; absent until one has passed. */
  pace?: PaceState;
}

export interface MonitorEngine {
  readonly instanceId: string;
  readonly monitors: readonly Monitor[];
  /** Services (or endpoints) that could not be monitored, and why. */
  readonly notes: readonly MonitorNote[];
  stats(): MonitorEngineStats;
  /** Resolves when the engine has stopped after the signal aborted. */
  readonly done: Promise<void>;
}

/** The next due time: one interval on, skipping slots already missed, so lateness never accumulates. */
export function nextDueAt(dueAt: number, intervalMs: number, now: number): number {
  const next = dueAt + intervalMs;
  return next > now ? next : dueAt + Math.ceil((now - dueAt + 1) / intervalMs) * intervalMs;
}

export async function createMonitorEngine(options: MonitorEngineOptions): Promise<MonitorEngine> {
  const { store, environment, signal } = options;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const monitoring = store.monitoring;
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const derived = options.monitors
    ? { monitors: options.monitors, notes: [] }
    : deriveMonitors({
        config: options.config,
        environment,
        env: options.env,
        ...(options.types ? { types: options.types } : {}),
      });
  derived.monitors.push(...(options.extraMonitors ?? []));
  const byId = new Map(derived.monitors.map((m) => [m.id, m]));
  const shortest = Math.min(60_000, ...derived.monitors.map((m) => m.intervalMs));
  // A SQLite commit costs two fsyncs and its pages' journal copies, and one file takes one writer: claim and
  // flush less often there (serve runs the store on its own thread, so a long commit delays no check).
  // One instance needs no quick hand-over, and claiming further ahead keeps timers on time.
  const sqlite = store.backend === 'sqlite';
  const timing: EngineTiming = {
    pollMs: sqlite ? 1_000 : 200,
    flushMs: Math.max(50, Math.min(sqlite ? 1_000 : 500, shortest / 4)),
    heartbeatMs: 5_000,
    pruneEveryMs: 60_000,
    paceMs: 10_000,
    ...options.timing,
  };
  // Claims and concurrency follow the due rate: room to hold every check due within a poll and the lookahead
  // (with half again as headroom), and checks in flight sized by the scheduler from the measured check duration.
  // Fixed caps stalled at about 1,000 checks/s on SQLite and stretched every interval without a word.
  const dueRate = derived.monitors.reduce((n, m) => n + 1_000 / m.intervalMs, 0);
  // At least a second ahead: a claim waits for a pooled connection, and a /metrics scrape's store reads can
  // hold the whole pool for a second or two; a check due meanwhile must already be in the heap, not late.
  const lookaheadMs = Math.max(timing.pollMs * 2, 1_000);
  const concurrency = options.concurrency
    ? { min: options.concurrency, max: options.concurrency }
    : { min: 64, max: 4_096 };
  const maxPending = Math.max(
    1_000,
    concurrency.min * 8,
    Math.ceil((dueRate * (timing.pollMs + lookaheadMs) * 1.5) / 1_000),
  );
  // The scheduler starts below; until then nothing waits.
  let waitingSince: () => number | undefined = () => undefined;
  // Checks running now and their next slot: a check still running at its next due time holds that slot up.
  const nextSlots = new Map<ClaimedCheck, number>();
  // Slots due before this engine started passed while no instance ran (a restart, a crash): that backlog is downtime,
  // not this engine's pace, so its lateness counts from the start. Counted from the due time, every restart after a
  // pause said "falling behind ... a check ran past its next due time".
  const engineStartedAt = now();
  const paceFrom = (dueAt: number) => Math.max(dueAt, engineStartedAt);
  const oldestOverdue = () => {
    const at = now();
    let oldest = waitingSince();
    for (const slot of nextSlots.values())
      if (slot <= at && (oldest === undefined || slot < oldest)) oldest = slot;
    return oldest === undefined ? undefined : paceFrom(oldest);
  };
  const pace = createPaceTracker(timing.paceMs, oldestOverdue);
  const log = options.log ?? (() => {});
  const report = (what: string) => (error: unknown) =>
    log('error', `${what}: ${error instanceof Error ? error.message : String(error)}`);
  const stats = { checks: 0, down: 0, writeErrors: 0 };

  await monitoring.syncMonitors(
    environment,
    derived.monitors.map(({ check: _check, ...definition }) => definition),
  );
  const heartbeat = () =>
    monitoring
      .heartbeat({
        instanceId,
        environment,
        info: { pid: process.pid, host: hostname(), monitors: derived.monitors.length, checks: stats.checks },
      })
      .catch(report('heartbeat'));
  await heartbeat();

  // The slot each monitor last ran, until its result is written: the store still holds that slot as due, and once
  // the lease runs out (a check that waited long for a slot, a slow write) a claim hands it back. It was checked.
  const ran = new Map<string, number>();
  // A written result moves its monitor's slot on; a claim of the next slot may have come back before this runs.
  const written = (completions: CheckCompletion[]) => {
    for (const c of completions)
      if ((ran.get(c.monitorId) ?? c.nextDueAt) < c.nextDueAt) ran.delete(c.monitorId);
  };
  const recorder = createRecorder({
    store: monitoring,
    clock,
    owner: instanceId,
    flushMs: timing.flushMs,
    // Results a commit. On SQLite a commit's cost is mostly per commit and per page (two fsyncs, the lock, a journal
    // copy of each page it changes), so a batch of every result of a flush shares them: 250 a commit cost 1.5 times
    // the time per check of 1,000, and 4,000 (2,000 a commit at 2,000 checks/s) took 0.86-0.89 cores against
    // 0.91-0.94 with 1,000 (20k monitors at 10 s, `serve` as a CLI, interleaved runs). PostgreSQL keeps 1,000, so
    // instances sharing it hold their schedule rows' locks for shorter transactions.
    maxBatch: sqlite ? 4_000 : 1_000,
    onError: (error) => {
      stats.writeErrors++;
      report('writing check results')(error);
    },
    onRecorded: (completions, samples) => {
      written(completions);
      notify(samples);
    },
    onDropped: written,
  });

  const notify = (samples: NewSample[]) => {
    if (!options.onSample) return;
    for (const s of samples) {
      const monitor = byId.get(s.monitorId);
      if (!monitor) continue;
      try {
        void Promise.resolve(options.onSample(toRecord(s, options.redactor), monitor)).catch(
          report('onSample'),
        );
      } catch (error) {
        report('onSample')(error);
      }
    }
  };

  const agents = options.keepAlive
    ? { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) }
    : undefined;
  const ctx: ProbeContext = {
    signal,
    env: options.env,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.redactor ? { redactor: options.redactor } : {}),
    ...(agents ? { agents } : {}),
  };

  const run = async (claim: ClaimedCheck, startedAt: number) => {
    ran.set(claim.monitorId, claim.dueAt);
    const monitor = byId.get(claim.monitorId);
    if (!monitor) {
      // Configured on another instance only (a rolling config change): this one skips its slot.
      recorder.add({ monitorId: claim.monitorId, nextDueAt: claim.dueAt + claim.intervalMs });
      return;
    }
    // Counted as it starts: a window in which checks start but none ends yet still has its figures.
    pace.record(Math.max(0, startedAt - paceFrom(claim.dueAt)), monitor.intervalMs, startedAt);
    nextSlots.set(claim, claim.dueAt + monitor.intervalMs);
    const result = await checkOnce(monitor, ctx, report('checking')).finally(() => nextSlots.delete(claim));
    // Stopped mid-check: the result says "aborted", which is not the target's fault. Not recorded.
    if (signal.aborted) return;
    const finished = now();
    stats.checks++;
    if (result.outcome === 'down') stats.down++;
    options.onCheck?.({
      monitorId: monitor.id,
      dueAt: claim.dueAt,
      startedAt,
      lagMs: Math.max(0, startedAt - claim.dueAt),
      durationMs: finished - startedAt,
      outcome: result.outcome,
    });
    const message = result.failures.length ? result.failures.join('; ') : undefined;
    const sample: NewSample = {
      monitorId: monitor.id,
      environment: monitor.environment,
      service: monitor.service,
      at: startedAt,
      outcome: result.outcome,
      latencyMs: result.latencyMs,
      attempts: result.attempts,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(message ? { message } : {}),
    };
    const next = nextDueAt(claim.dueAt, monitor.intervalMs, finished);
    // Slots that passed while this check ran never get a check: the interval stretched, and pace says so.
    const missedBefore = Math.max(
      0,
      Math.ceil((paceFrom(claim.dueAt) - claim.dueAt) / monitor.intervalMs) - 1,
    );
    const skipped = Math.round((next - claim.dueAt) / monitor.intervalMs) - 1 - missedBefore;
    if (skipped > 0) pace.skip(skipped, finished);
    recorder.add({ monitorId: monitor.id, nextDueAt: next, sample });
  };

  const scheduler = startScheduler({
    signal,
    dueRate,
    concurrency,
    pollMs: timing.pollMs,
    lookaheadMs,
    maxPending,
    clock,
    claim: async (horizon, limit) =>
      (await monitoring.claimDue({ owner: instanceId, environment, horizon, limit, now: now() })).filter(
        (c) => ran.get(c.monitorId) !== c.dueAt,
      ),
    run,
    onError: report('scheduling'),
  });
  waitingSince = () => scheduler.waitingSince;

  const retention = retentionOf(options.config);
  const prune = () => void monitoring.prune(retention).catch(report('pruning history'));
  let wasBehind = false;
  const checkPace = () => {
    const state = pace.state(now());
    if (!state || state.behind === wasBehind) return;
    wasBehind = state.behind;
    if (state.behind)
      log(
        'warn',
        `the monitor engine is falling behind: ${describeLateness(state)}, ${state.checksPerSecond.toFixed(0)} checks/s done of ${dueRate.toFixed(0)}/s due; intervals are stretching (add an instance on PostgreSQL, or lengthen intervals)`,
      );
    else log('warn', `the monitor engine keeps up again: ${state.checksPerSecond.toFixed(0)} checks/s`);
  };
  const stopTimers = [
    every(clock, timing.heartbeatMs, heartbeat),
    every(clock, timing.pruneEveryMs, prune),
    every(clock, timing.paceMs, checkPace),
  ];
  // The first prune soon after start, at a random moment so instances started together do not collide.
  const firstPrune = clock.setTimeout(prune, Math.random() * Math.min(timing.pruneEveryMs, 30_000));

  const done = (async () => {
    await new Promise<void>((resolve) =>
      signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    for (const stopTimer of stopTimers) stopTimer();
    clock.clearTimeout(firstPrune);
    await scheduler.done;
    agents?.http.destroy();
    agents?.https.destroy();
    await recorder.close();
    await monitoring.releaseClaims(instanceId).catch(report('releasing leases'));
    await monitoring.removeInstance(instanceId).catch(report('removing the instance'));
  })();

  return {
    instanceId,
    monitors: derived.monitors,
    notes: derived.notes,
    stats: () => ({
      ...stats,
      pending: scheduler.pending,
      running: scheduler.running,
      unwritten: recorder.pending,
      dueRate,
      concurrency: scheduler.concurrency,
      ...(pace.state(now()) ? { pace: pace.state(now()) } : {}),
    }),
    done,
  };
}

/** As the store would return it: the message redacted and capped. */
function toRecord(s: NewSample, redactor: Redactor | undefined): SampleRecord {
  return {
    monitorId: s.monitorId,
    environment: s.environment,
    service: s.service,
    at: new Date(s.at).toISOString(),
    outcome: s.outcome,
    latencyMs: s.latencyMs,
    status: s.status ?? null,
    message: s.message ? (redactor ? redactor.redact(s.message) : s.message).slice(0, 500) : null,
    attempts: s.attempts ?? 1,
  };
}

export function retentionOf(config: StackConfig): RetentionMs {
  const r = config.monitoring.retention;
  return {
    raw: parseDuration(r.raw),
    minute: parseDuration(r.minute),
    hour: parseDuration(r.hour),
    day: parseDuration(r.day),
  };
}

/**
 * A check that throws (a probe's bug, an unexpected error) is a down result saying so: without a result its slot
 * never moved on, and this instance skipped the monitor for good while the status page said nothing.
 */
async function checkOnce(
  monitor: Monitor,
  ctx: ProbeContext,
  log: (error: unknown) => void,
): Promise<ProbeResult> {
  const startedAt = Date.now();
  try {
    return await monitor.check(ctx);
  } catch (error) {
    log(error);
    return makeResult({
      startedAt,
      latencyMs: Date.now() - startedAt,
      error: `opsbook could not run this check: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
