/**
 * Passive monitors: checks that read the store instead of calling out. Heartbeats are down when their pings stop;
 * each backup entry and its restore drill are down when a scheduled run did not succeed within its window (the
 * dead-man's switch), and a platform-managed backup is down when the newest one is older than its window. They run in the monitor engine like any check, so the usual `down` alert rules, channels,
 * silences and team-mode leases apply, and an alert fires once per outage.
 */
import { managedStatus } from '../backups/index.js';
import { parseDuration, type StackConfig } from '../config/index.js';
import type { Monitor } from '../monitors/index.js';
import type { ProbeResult } from '../probes/index.js';
import { parseSchedule } from '../schedule/index.js';
import type { Store } from '../store/index.js';
import { heartbeatVerdict, jobVerdict, managedVerdict, type Verdict } from './evaluate.js';
import { readHeartbeat } from './state.js';

function result(v: Verdict, startedAt: number): ProbeResult {
  return {
    ok: v.outcome === 'up',
    outcome: v.outcome,
    latencyMs: 0,
    failures: v.outcome === 'down' ? [v.message] : [],
    warnings: [],
    at: new Date(startedAt).toISOString(),
    attempts: 1,
  };
}

/** The newest successful run of `kind` for a backup entry (runs are recorded by src/backups/operations.ts). */
async function lastSuccess(store: Store, kind: string, entry: string): Promise<Date | undefined> {
  const runs = await store.listRuns({ kind, status: 'succeeded', limit: 200 });
  const run = runs.find((r) => (r.summary as { entry?: string } | null)?.entry === entry);
  return run ? new Date(run.startedAt) : undefined;
}

/**
 * Records "watching since" for every heartbeat and scheduled job when serve starts, so silence is measured from the
 * start of serve and not from whenever the engine first got round to each check.
 */
export async function startWatching(options: {
  config: StackConfig;
  environment: string;
  store: Store;
  now?: () => number;
}): Promise<void> {
  const at = new Date((options.now ?? Date.now)());
  const ids = [
    ...options.config.heartbeats.map((hb) => hb.id),
    ...options.config.backups.flatMap((b) =>
      b.managed
        ? [`job:backup-${b.id}`]
        : [`job:backup-${b.id}`, ...(b.verify?.restore ? [`job:backup-drill-${b.id}`] : [])],
    ),
  ];
  for (const id of ids) await readHeartbeat(options.store, options.environment, id, at);
}

export function passiveMonitors(options: {
  config: StackConfig;
  environment: string;
  store: Store;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}): Monitor[] {
  const { config, environment, store } = options;
  const now = () => new Date((options.now ?? Date.now)());
  const intervalMs = Math.min(parseDuration(config.monitoring.interval), 60_000);
  const base = { environment, intervalMs, timeoutMs: 10_000, retries: 0, kind: 'heartbeat' as const };
  const monitors: Monitor[] = [];

  for (const hb of config.heartbeats) {
    const period = parseDuration(hb.period);
    const grace = parseDuration(hb.grace);
    monitors.push({
      ...base,
      id: `${environment}:${hb.service}:heartbeat-${hb.id}`,
      service: hb.service,
      name: `heartbeat-${hb.id}`,
      target: `ping every ${hb.period} (+${hb.grace})`,
      async check(ctx) {
        const at = now();
        // Without its token the ping route answers 404 to every ping: "waiting for the first ping" would stay up
        // until the period ran out, then blame the job, which may well be pinging.
        if (!ctx.env[hb.token.env])
          return result(
            {
              outcome: 'down',
              message: `cannot receive pings: ${hb.token.env} is not set where opsbook serve runs; set it to the token the job sends`,
            },
            at.getTime(),
          );
        return result(
          heartbeatVerdict(await readHeartbeat(store, environment, hb.id, at), period, grace, at),
          at.getTime(),
        );
      },
    });
  }

  for (const b of config.backups.filter((e) => !e.managed)) {
    const jobs = [
      { kind: 'backup', name: `backup-${b.id}`, label: `backup ${b.id}`, every: b.schedule },
      ...(b.verify?.restore
        ? [
            {
              kind: 'backup-verify',
              name: `backup-drill-${b.id}`,
              label: `restore drill of ${b.id}`,
              every: b.verify.every,
            },
          ]
        : []),
    ];
    for (const job of jobs) {
      const schedule = parseSchedule(job.every, b.timezone);
      const windowMs = parseDuration(b.window);
      monitors.push({
        ...base,
        id: `${environment}:${b.database}:${job.name}`,
        service: b.database,
        name: job.name,
        target: `${job.label}: ${job.every} (${b.timezone}), within ${b.window}`,
        async check() {
          const at = now();
          const watching = await readHeartbeat(store, environment, `job:${job.name}`, at);
          const last = await lastSuccess(store, job.kind, b.id);
          return result(
            jobVerdict(job.label, schedule, windowMs, last, new Date(watching.watchingSince), at),
            at.getTime(),
          );
        },
      });
    }
  }
  for (const b of config.backups.filter((e) => e.managed)) {
    const schedule = parseSchedule(b.schedule, b.timezone);
    const windowMs = parseDuration(b.window);
    const label = `managed backup ${b.id}`;
    monitors.push({
      ...base,
      id: `${environment}:${b.database}:backup-${b.id}`,
      service: b.database,
      name: `backup-${b.id}`,
      target: `${label} (${b.platform ?? 'platform'}): ${b.schedule} (${b.timezone}), within ${b.window}`,
      // The engine's context carries env, fetch and the abort signal, as for any probe calling out.
      async check(ctx) {
        const at = now();
        const watching = await readHeartbeat(store, environment, `job:backup-${b.id}`, at);
        try {
          const status = await managedStatus(b, {
            env: ctx.env,
            store,
            signal: ctx.signal,
            ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
          });
          const source =
            status.source === 'platform-api'
              ? `${b.platform} API`
              : status.confirmation
                ? `confirmed by ${status.confirmation.by}`
                : 'nobody confirmed one: `opsbook backup confirm`';
          return result(
            managedVerdict(
              label,
              source,
              schedule,
              windowMs,
              status.newestAt ? new Date(status.newestAt) : undefined,
              new Date(watching.watchingSince),
              at,
            ),
            at.getTime(),
          );
        } catch (error) {
          // Could not tell: that is down, never a silent up.
          return result(
            { outcome: 'down', message: `${label}: cannot check: ${(error as Error).message}` },
            at.getTime(),
          );
        }
      },
    });
  }
  return monitors;
}
