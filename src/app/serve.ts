/**
 * The serve use-case: the monitor engine, the alert loop (with its channels), the scheduled jobs, the incident
 * loop and the HTTP server for one environment, until closed. Several instances on one PostgreSQL share the checks
 * and the evaluations through the engines' leases; each serves the same pages from the shared store.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { compileRules, type GroupTiming, startAlertLoop, unfireableRules } from '../alerts/index.js';
import { parseDuration, registerContractSecrets } from '../config/index.js';
import { UserError } from '../errors.js';
import { createPingRoutes, passiveMonitors, startWatching } from '../heartbeats/index.js';
import {
  type DeliveryFailure,
  type IncidentLoop,
  linkKey,
  obsoletePage,
  recordDeliveryFailure,
  startIncidentLoop,
} from '../incidents/index.js';
import { type JobRunner, jobsFromConfig, startJobRunner } from '../jobs/index.js';
import { createMonitorEngine, type EngineTiming, type MonitorNote } from '../monitors/index.js';
import { missingChannelSecrets } from '../notify/index.js';
import { loadCalendars } from '../oncall/index.js';
import { printable } from '../probes/index.js';
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
import { sleep } from '../timing/index.js';
import { upstreamMonitors } from '../upstream/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  port?: number;
  host?: string;
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
    /** After each alert evaluation and each incident pass: tests wait for rounds, not for a time. */
    onRound?: (loop: 'alerts' | 'incidents') => void;
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

export async function serve(input: ServeOptions): Promise<ServeHandle> {
  const base = resolveOptions(input);
  const options = { ...input, ...base, config: await configOf(input, base) };
  const environment = options.environment ?? 'production';
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  const redactor = options.redactor;
  // What serve prints carries outside text (a channel's error answer, an iCal feed's error, probe output): its
  // control characters are shown as \xNN, never acted on by the terminal of whoever watches serve.
  const log = (level: 'warn' | 'error', message: string) =>
    options.log?.(level, printable(message, { newlines: true, tabs: true }));
  const publicUrl = checkPublicUrl(options.publicUrl || options.env.OPSBOOK_PUBLIC_URL || undefined);
  // Serving with a channel's secret unset looked healthy until the first page failed, in the middle of an incident.
  for (const m of missingChannelSecrets(options.config.channels, options.env))
    log(
      'warn',
      `channel '${m.channel}': environment variable ${m.variable} is not set, so every notification through it will fail`,
    );
  registerContractSecrets(options.config, options.env, redactor, { dir: options.cwd });
  // Ping tokens are secrets: a URL echoed in an error must not show them.
  redactor.add(options.config.heartbeats.map((h) => options.env[h.token.env]));
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // SQLite on its own thread: the monitor engine's writes must not hold the loop its checks run on.
  const store = await openStore({ cwd: options.cwd, env: options.env, redactor, sqlite: { thread: true } });
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
    if (!engine.monitors.length)
      log(
        'warn',
        `nothing to check in ${environment}: no service has a health endpoint with a URL, a connection check or a heartbeat, so every page and alert says no data; add health endpoints (services.NAME.health) and URLs`,
      );
    // A rule the monitors cannot feed stays quiet through any outage: say so while someone is looking.
    const everyService = new Set(options.config.alerts.filter((a) => !a.service).map((a) => a.id));
    const { rules } = compileRules(options.config, environment);
    const rawKept = parseDuration(options.config.monitoring.retention.raw);
    for (const u of unfireableRules(rules, engine.monitors, everyService, rawKept))
      log('warn', `alert '${u.rule}' (${u.service}) can never fire: ${u.message}`);
    const channelCtx = {
      fetch: options.fetch ?? fetch,
      env: options.env,
      signal: stop.signal,
      redactor,
      sleep: (ms: number) => sleep(ms),
      print: (line: string) => options.print?.(printable(line, { newlines: true, tabs: true })),
    };
    // A channel that cannot be reached (a revoked webhook, a wrong SMTP password) must be heard where serve runs:
    // its alerts fire and reach nobody. Either loop may send a page, so both report here, and a page that failed
    // goes on its incident's timeline (which says the person was notified).
    const deliveryFailed = (f: DeliveryFailure) => {
      log(
        'warn',
        `notification to channel '${f.channel}' failed: ${f.error}; ${f.retryAt ? `trying again at ${f.retryAt}` : 'given up'}`,
      );
      recordDeliveryFailure(store.incidents, f).catch((error: unknown) =>
        log('error', `incident timeline: ${error instanceof Error ? error.message : String(error)}`),
      );
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
      onEvaluated: () => {
        incidents?.poke();
        options.timing?.onRound?.('alerts');
      },
      ...(options.timing?.alertIntervalMs ? { intervalMs: options.timing.alertIntervalMs } : {}),
      ...(options.timing?.alertGroup ? { timing: options.timing.alertGroup } : {}),
      onDeliveryFailure: deliveryFailed,
      obsolete: obsoletePage(store.incidents),
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
    for (const hb of options.config.heartbeats)
      if (!options.env[hb.token.env])
        log(
          'warn',
          `heartbeat '${hb.id}': ${hb.token.env} is not set, so no ping can reach it (it shows down)`,
        );
    const signingKey = await linkKey(store, options.env);
    ctx.signingKey = async () => signingKey;
    const pagerDuty = createPagerDutyWebhook({ store, config: options.config, env: options.env, redactor });
    const mount = { '/ping': ping, '/integrations/pagerduty': pagerDuty };
    const http = await listen(createApp(ctx, { log: (m) => log('error', m), mount }), {
      host,
      port,
    });
    ctx.publicUrl = publicUrl ?? http.url;
    // iCal schedules are read once at start, over the window escalations can need.
    const calendars = await loadCalendars(options.config, {
      cwd: options.cwd,
      fetch: options.fetch ?? fetch,
      from: Date.now() - 7 * 86_400_000,
      to: Date.now() + 60 * 86_400_000,
    });
    // The parser quotes the line it choked on: calendar text, maybe from a URL, never raw to a terminal.
    for (const e of calendars.errors) log('warn', printable(e.message));
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
      onPass: () => options.timing?.onRound?.('incidents'),
      onDeliveryFailure: deliveryFailed,
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

/**
 * The acknowledge links in every page start with this URL: one without a scheme (ops.example.com) made links no mail
 * client opens, and an empty one dropped them, so nobody could acknowledge from a page. Refused before anything starts.
 */
function checkPublicUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol === 'http:' || protocol === 'https:') return url;
  throw new UserError(
    `OPSBOOK_PUBLIC_URL '${url}' is not an absolute http(s) URL: the acknowledge links in incident pages would not open`,
    'give the address people reach serve at, e.g. OPSBOOK_PUBLIC_URL=https://ops.example.com',
    'serve/public-url',
  );
}
