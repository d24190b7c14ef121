/**
 * `opsbook serve`: the monitor engine, the alert loop (with its channels) and the HTTP server for one
 * environment, until SIGINT or SIGTERM. Several instances on one PostgreSQL share the checks and the
 * evaluations through the engines' leases; each serves the same pages from the shared store.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type GroupTiming, startAlertLoop } from '../alerts/index.js';
import { registerContractSecrets, type StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { createPingRoutes, passiveMonitors, startWatching } from '../heartbeats/index.js';
import { type IncidentLoop, linkKey, startIncidentLoop } from '../incidents/index.js';
import { type JobRunner, jobsFromConfig, startJobRunner } from '../jobs/index.js';
import { createMonitorEngine, type EngineTiming, type MonitorNote } from '../monitors/index.js';
import { loadCalendars } from '../oncall/index.js';
import { createRedactor, type Redactor } from '../redact/index.js';
import {
  createApp,
  createLagTracker,
  createLiveMetrics,
  createPagerDutyWebhook,
  LATENCY_WINDOW_MS,
  listen,
  type ServerContext,
} from '../server/index.js';
import { openStore } from '../store/index.js';
import { upstreamMonitors } from '../upstream/index.js';
import { flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler } from './types.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  cwd: string;
  config: StackConfig;
  env: Record<string, string | undefined>;
  environment?: string;
  port?: number;
  host?: string;
  redactor?: Redactor;
  fetch?: typeof fetch;
  /** Where the console channel writes. */
  print?: (line: string) => void;
  /** Problems that do not stop serving: a failed write, an evaluation error, a request that hit a bug. */
  log?: (level: 'warn' | 'error', message: string) => void;
  /** Where people reach this server (acknowledge links in notifications). Default: OPSBOOK_PUBLIC_URL, else the listen URL. */
  publicUrl?: string;
  /** Tests: faster engine polling, alert evaluation and incident escalation; the scheduled jobs' tick and clock. */
  timing?: {
    engine?: Partial<EngineTiming>;
    alertIntervalMs?: number;
    alertGroup?: GroupTiming;
    jobs?: { tickMs?: number; now?: () => number; since?: number };
    incidentIntervalMs?: number;
    incidentLockTtlMs?: number;
  };
}

export interface ServeHandle {
  url: string;
  environment: string;
  instanceId: string;
  monitors: number;
  notes: readonly MonitorNote[];
  /** Stops the HTTP server, then the engines (leases released), then closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const environment = options.environment ?? 'production';
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  const redactor = options.redactor ?? createRedactor();
  const log = options.log ?? (() => {});
  registerContractSecrets(options.config, options.env, redactor, { dir: options.cwd });
  // Ping tokens are secrets: a URL echoed in an error must not show them.
  redactor.add(options.config.heartbeats.map((h) => options.env[h.token.env]));
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const store = await openStore({ cwd: options.cwd, env: options.env, redactor });
  const stop = new AbortController();
  const lag = createLagTracker();
  const live = createLiveMetrics(LATENCY_WINDOW_MS);
  const ctx: ServerContext = {
    store,
    config: options.config,
    environment,
    redactor,
    lag,
    live,
    shareRenderingsMs: 1_000,
    pace: () => engine?.stats() ?? { dueRate: 0 },
  };
  let alerts: ReturnType<typeof startAlertLoop> | undefined;
  let incidents: IncidentLoop | undefined;
  let engine: Awaited<ReturnType<typeof createMonitorEngine>> | undefined;
  let jobs: JobRunner | undefined;

  const stopEngines = async () => {
    stop.abort();
    await engine?.done;
    await alerts?.stopped;
    await jobs?.stopped;
    await incidents?.stopped;
  };
  try {
    const clock = options.timing?.jobs?.now ? { now: options.timing.jobs.now } : {};
    await startWatching({ config: options.config, environment, store, ...clock });
    engine = await createMonitorEngine({
      store,
      config: options.config,
      environment,
      env: options.env,
      signal: stop.signal,
      instanceId,
      redactor,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timing?.engine ? { timing: options.timing.engine } : {}),
      extraMonitors: [
        ...passiveMonitors({ config: options.config, environment, store, ...clock }),
        ...upstreamMonitors({
          config: options.config,
          environment,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      ],
      onSample: (sample) => {
        live.record(sample);
        alerts?.poke();
      },
      onCheck: (check) => lag.record(check.lagMs, check.startedAt),
      log,
    });
    const channelCtx = {
      fetch: options.fetch ?? fetch,
      env: options.env,
      signal: stop.signal,
      redactor,
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      print: options.print ?? (() => {}),
    };
    alerts = startAlertLoop({
      store,
      config: options.config,
      environment,
      holder: instanceId,
      // The built-in opsbook-falling-behind alert reads this engine's pace.
      enginePace: () => {
        const stats = engine?.stats();
        return stats?.pace ? { ...stats.pace, dueRate: stats.dueRate } : undefined;
      },
      channels: options.config.channels,
      ctx: channelCtx,
      onEvaluated: () => incidents?.poke(),
      ...(options.timing?.alertIntervalMs ? { intervalMs: options.timing.alertIntervalMs } : {}),
      ...(options.timing?.alertGroup ? { timing: options.timing.alertGroup } : {}),
      onError: (error) =>
        log('error', `alert evaluation: ${error instanceof Error ? error.message : String(error)}`),
    });
    jobs = startJobRunner({
      store,
      jobs: jobsFromConfig({
        cwd: options.cwd,
        config: options.config,
        env: options.env,
        store,
        environment,
        log,
      }),
      holder: instanceId,
      signal: stop.signal,
      log,
      ...(options.timing?.jobs ?? {}),
    });
    const ping = createPingRoutes({ store, config: options.config, environment, env: options.env });
    const signingKey = await linkKey(store, options.env);
    ctx.signingKey = async () => signingKey;
    const pagerDuty = createPagerDutyWebhook({ store, config: options.config, env: options.env, redactor });
    const mount = { '/ping': ping, '/integrations/pagerduty': pagerDuty };
    const http = await listen(createApp(ctx, { log: (m) => log('error', m), mount }), {
      host,
      port,
    });
    ctx.publicUrl = options.publicUrl ?? options.env.OPSBOOK_PUBLIC_URL ?? http.url;
    // iCal schedules are read once at start, over the window escalations can need.
    const calendars = await loadCalendars(options.config, {
      cwd: options.cwd,
      fetch: options.fetch ?? fetch,
      from: Date.now() - 7 * 86_400_000,
      to: Date.now() + 60 * 86_400_000,
    });
    for (const e of calendars.errors) log('warn', e.message);
    incidents = startIncidentLoop({
      calendars: () => calendars.events,
      store,
      config: options.config,
      environment,
      holder: instanceId,
      signingKey,
      publicUrl: ctx.publicUrl,
      channels: options.config.channels,
      ctx: channelCtx,
      ...(options.timing?.incidentIntervalMs ? { intervalMs: options.timing.incidentIntervalMs } : {}),
      ...(options.timing?.incidentLockTtlMs ? { lockTtlMs: options.timing.incidentLockTtlMs } : {}),
      onError: (error) =>
        log('error', `incident escalation: ${error instanceof Error ? error.message : String(error)}`),
    });
    let closing: Promise<void> | undefined;
    return {
      url: http.url,
      environment,
      instanceId,
      monitors: engine.monitors.length,
      notes: engine.notes,
      close: () => {
        closing ??= (async () => {
          await http.close();
          await stopEngines();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopEngines();
    await store.close();
    throw error;
  }
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535)
    throw new UserError(
      `--port must be a number from 0 to 65535, not '${text}'`,
      'e.g. --port 8080 (0: any free port)',
    );
  return n;
}

/** Resolves on SIGINT (the CLI's signal) or SIGTERM (a process manager stopping us). */
function untilStopped(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => () => {
      process.off('SIGTERM', onTerm);
      signal.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onTerm = done('SIGTERM');
    const onAbort = done('SIGINT');
    if (signal.aborted) return onAbort();
    process.once('SIGTERM', onTerm);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { out } = input;
  const port = parsePort(flagString(input, 'port'));
  const handle = await serve({
    cwd: input.cwd,
    config: loaded.config,
    env: input.env,
    environment: flagString(input, 'env'),
    ...(port !== undefined ? { port } : {}),
    host: flagString(input, 'host') ?? DEFAULT_HOST,
    redactor: out.redactor,
    print: (line) => out.line(line),
    log: (level, message) => (level === 'error' ? out.error(message) : out.warn(message)),
  });
  const say = (text: string) => (out.mode === 'json' ? out.note(text) : out.line(text));
  say(`opsbook serving ${handle.environment} at ${handle.url}`);
  say(`  status page ${handle.url}/status · API ${handle.url}/api/v1/status · metrics ${handle.url}/metrics`);
  say(`  ${handle.monitors} monitors, instance ${handle.instanceId}`);
  for (const note of handle.notes) out.warn(`not monitored: ${note.service}: ${note.message}`);

  const why = await untilStopped(input.signal);
  out.note(
    `${why}: stopping (checks in flight are dropped and run again by the next instance, leases released)`,
  );
  await handle.close();
  out.note('stopped');
  return {
    ok: true,
    data: { url: handle.url, environment: handle.environment, instanceId: handle.instanceId, stoppedBy: why },
  };
};
