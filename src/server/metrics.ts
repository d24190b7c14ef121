/**
 * `/metrics`: monitor state, probe latency (summary quantiles from the merged sketches over 5 minutes),
 * uptime ratios, SLO error budgets, firing alerts and this instance's schedule lag. A scrape must not hurt the
 * prober on the same event loop: latency comes from in-memory aggregates when this instance runs the engine, the
 * store-wide figures (uptime, SLOs, alerts) are refreshed at most every STORE_REFRESH_MS, and the app shares one
 * rendering between concurrent or rapid scrapes (shared-rendering.ts).
 */
import { listAlerts } from '../alerts/index.js';
import { readSloReport } from '../slo/index.js';
import type { MonitorState } from '../store/index.js';
import { nowOf, type ServerContext } from './context.js';
import { isFresh } from './current-health.js';
import { formatValue, type MetricFamily, renderExposition, renderLabelPairs } from './exposition.js';
import type { LiveLatency } from './live-metrics.js';
import { createSlicer } from './slices.js';

export const LATENCY_WINDOW_MS = 300_000;
const LATENCY = 'opsbook_probe_latency_seconds';
export const LATENCY_QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;
export const UPTIME_RATIO_WINDOWS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** Uptime over hours to days, SLO budgets and firing alerts move slowly: a scrape reuses them this long. */
export const STORE_REFRESH_MS = 15_000;

const MINUTE_MS = 60_000;

/**
 * An uptime window in whole minutes, ending with the current one: nothing is recorded after now, so it holds every
 * check up to now, and the store answers it from per-service rollups alone. A window cut at `now` exactly reads
 * the raw samples of its ragged minutes: up to 120,000 rows a window at 2,000 checks/s, on every scrape.
 */
export function uptimeWindow(now: number, ms: number): [from: number, to: number] {
  const to = Math.ceil((now + 1) / MINUTE_MS) * MINUTE_MS;
  return [to - ms, to];
}

async function readStoreFigures(ctx: ServerContext, now: number, services: string[]) {
  const { environment, store } = ctx;
  // One set of queries per window for all services: one per service took seconds at 200 services.
  const windows = Object.entries(UPTIME_RATIO_WINDOWS);
  const [byWindow, slo, alerts] = await Promise.all([
    Promise.all(
      windows.map(([, ms]) => store.monitoring.uptimeByService(environment, ...uptimeWindow(now, ms))),
    ),
    readSloReport({ store, config: ctx.config, environment, now }),
    listAlerts({ store, config: ctx.config, environment }),
  ]);
  const uptimes = services.flatMap((service) =>
    windows.map(([window], i) => ({
      service,
      window,
      ratio: byWindow[i]?.get(service)?.availability ?? null,
    })),
  );
  return { uptimes, slo, alerts };
}

type StoreFigures = Awaited<ReturnType<typeof readStoreFigures>>;
const storeCache = new WeakMap<ServerContext, { at: number; services: string; figures: StoreFigures }>();

async function storeFigures(ctx: ServerContext, now: number, services: string[]): Promise<StoreFigures> {
  // Only an instance with live aggregates caches: without them every scrape reads the store as before.
  if (!ctx.live) return readStoreFigures(ctx, now, services);
  const cached = storeCache.get(ctx);
  const key = services.join('\n');
  if (cached && cached.services === key && now - cached.at < STORE_REFRESH_MS) return cached.figures;
  const figures = await readStoreFigures(ctx, now, services);
  storeCache.set(ctx, { at: now, services: key, figures });
  return figures;
}

export async function collectMetrics(ctx: ServerContext): Promise<MetricFamily[]> {
  const now = nowOf(ctx);
  const { environment, store } = ctx;
  const monitors = await store.monitoring.monitorStates(environment);
  const services = [...new Set(monitors.map((m) => m.service))].sort();
  const live = ctx.live;
  // Without live aggregates, one store query per monitor; with them, each monitor's quantiles are worked out as
  // its lines are written (no array of 20,000 summaries held for the scrape).
  const [stored, { uptimes, slo, alerts }] = await Promise.all([
    live
      ? undefined
      : Promise.all(
          monitors.map((m) =>
            store.monitoring.latencyQuantiles({ monitor: m.id }, now - LATENCY_WINDOW_MS + 1, now + 1, [
              ...LATENCY_QUANTILES,
            ]),
          ),
        ),
    storeFigures(ctx, now, services),
  ]);
  const latencyOf = (i: number): LiveLatency =>
    stored?.[i] ?? live!.latency(monitors[i]!.id, now, LATENCY_WINDOW_MS, LATENCY_QUANTILES);
  const labels = await monitorLabels(ctx, monitors);

  const families: MetricFamily[] = [
    {
      name: 'opsbook_up',
      help: 'Whether the last check of the monitor answered (1: up or degraded, 0: down).',
      type: 'gauge',
      samples: [],
      lines: upLines(monitors, labels, now),
    },
    {
      name: LATENCY,
      help: 'Check latency of the monitor over the last 5 minutes (answered checks only).',
      type: 'summary',
      samples: [],
      lines: latencyLines(monitors, labels, latencyOf),
    },
    {
      name: 'opsbook_uptime_ratio',
      help: 'Share of checks that answered (up or degraded) over the window, in whole minutes up to now.',
      type: 'gauge',
      samples: uptimes
        .filter((u) => u.ratio !== null)
        .map((u) => ({ labels: { service: u.service, window: u.window }, value: u.ratio! })),
    },
    {
      name: 'opsbook_slo_error_budget_remaining',
      help: 'Share of the SLO error budget left over its window (1 untouched, 0 spent, negative overspent).',
      type: 'gauge',
      samples: slo.slos
        .filter((s) => s.budgetRemaining !== null)
        .map((s) => ({ labels: { slo: s.id, service: s.service }, value: s.budgetRemaining! })),
    },
    {
      name: 'opsbook_alerts_firing',
      help: 'Alerts firing now.',
      type: 'gauge',
      samples: [{ value: alerts.filter((a) => a.status === 'firing').length }],
    },
  ];
  if (ctx.lag) {
    const lag = ctx.lag.snapshot(now);
    families.push({
      name: 'opsbook_monitor_schedule_lag_seconds',
      help: 'How late this instance started its checks after they were due (quantiles over 5 minutes).',
      type: 'summary',
      samples: [
        ...lag.quantiles
          .filter(([, s]) => s !== null)
          .map(([q, s]) => ({ labels: { quantile: String(q) }, value: s! })),
        { suffix: '_sum', value: lag.sumSeconds },
        { suffix: '_count', value: lag.count },
      ],
    });
  }
  const engine = ctx.pace?.();
  if (engine) {
    families.push(
      {
        name: 'opsbook_monitor_engine_behind',
        help: "1 when more than 1% of this instance's checks started late over the last 10 s: intervals are stretching.",
        type: 'gauge',
        samples: engine.pace ? [{ value: engine.pace.behind ? 1 : 0 }] : [],
      },
      {
        name: 'opsbook_monitor_engine_checks_per_second',
        help: 'Checks per second the monitors ask for (due) and this instance ran over the last 10 s (done).',
        type: 'gauge',
        samples: [
          { labels: { kind: 'due' }, value: engine.dueRate },
          ...(engine.pace ? [{ labels: { kind: 'done' }, value: engine.pace.checksPerSecond }] : []),
        ],
      },
    );
  }
  return families;
}

/** A monitor's line prefixes (name and label pairs, then a space), rendered once: `up`, each latency quantile, sum, count. */
interface MonitorLabels {
  environment: string;
  service: string;
  /** The label pairs alone: `service="api",monitor="liveness"`. */
  text: string;
  up: string;
  quantiles: string[];
  sum: string;
  count: string;
}
const labelCache = new WeakMap<ServerContext, Map<string, MonitorLabels>>();

/**
 * The line prefixes of each monitor, rendered on the scrape that first sees it and kept for the next: they are the
 * same from one scrape to the next, and rendering them (seven lines a monitor, 140,000 at 20,000 monitors) was
 * event-loop time on every scrape. Monitors gone since the last scrape are forgotten. In slices: the first scrape
 * renders them all.
 */
export async function monitorLabels(
  ctx: ServerContext,
  monitors: readonly { id: string; environment: string; service: string }[],
): Promise<MonitorLabels[]> {
  const before = labelCache.get(ctx);
  const now = new Map<string, MonitorLabels>();
  const out: MonitorLabels[] = [];
  const turn = createSlicer();
  for (const m of monitors) {
    let labels = before?.get(m.id);
    if (labels?.service !== m.service || labels.environment !== m.environment) {
      const text = renderLabelPairs({ service: m.service, monitor: monitorLabel(m) });
      labels = {
        environment: m.environment,
        service: m.service,
        text,
        up: `opsbook_up{${text}} `,
        quantiles: LATENCY_QUANTILES.map((q) => `${LATENCY}{${text},quantile="${q}"} `),
        sum: `${LATENCY}_sum{${text}} `,
        count: `${LATENCY}_count{${text}} `,
      };
    }
    now.set(m.id, labels);
    out.push(labels);
    if (out.length % 256 === 0) await turn();
  }
  labelCache.set(ctx, now);
  return out;
}

/**
 * `opsbook_up` of each monitor with a fresh result. A stale one (no check for three intervals: the engine stopped,
 * results cannot be written) is left out, as the status page calls it not known: a last "up" exported for ever
 * said a target was up that nobody had checked for hours, and `absent()` or `up == 0` rules never fired.
 */
function* upLines(
  monitors: readonly MonitorState[],
  labels: readonly MonitorLabels[],
  now: number,
): Iterable<string> {
  for (let i = 0; i < monitors.length; i++) {
    const m = monitors[i]!;
    if (m.lastOutcome && m.lastAt !== null && isFresh(m.lastAt, m.intervalMs, m.timeoutMs, now))
      yield `${labels[i]!.up}${m.lastOutcome === 'down' ? 0 : 1}\n`;
  }
}

/**
 * Each monitor's latency summary: its quantiles (those with a value), sum and count, as one string. A heartbeat
 * times nothing (it reads the store): its "latency" was a 0 s summary of every check, as if it answered instantly.
 */
function* latencyLines(
  monitors: readonly MonitorState[],
  labels: readonly MonitorLabels[],
  latencyOf: (i: number) => LiveLatency,
): Iterable<string> {
  for (let i = 0; i < labels.length; i++) {
    if (monitors[i]!.kind === 'heartbeat') continue;
    const { quantiles, sum, count } = labels[i]!;
    const l = latencyOf(i);
    let text = '';
    for (let k = 0; k < l.quantiles.length; k++) {
      const ms = l.quantiles[k]!.ms;
      if (ms !== null) text += `${quantiles[k]}${formatValue(ms / 1000)}\n`;
    }
    yield `${text}${sum}${formatValue(((l.meanMs ?? 0) * l.count) / 1000)}\n${count}${l.count}\n`;
  }
}

/** The monitor's id without its `<environment>:<service>:` prefix: its name, made unique as the id is. */
function monitorLabel(m: { id: string; environment: string; service: string }): string {
  const prefix = `${m.environment}:${m.service}:`;
  return m.id.startsWith(prefix) ? m.id.slice(prefix.length) : m.id;
}

export async function renderMetrics(ctx: ServerContext): Promise<Buffer<ArrayBuffer>> {
  return renderExposition(await collectMetrics(ctx));
}
