/**
 * `/metrics`: monitor state, probe latency (summary quantiles from the merged sketches over 5 minutes),
 * uptime ratios, SLO error budgets, firing alerts and this instance's schedule lag. A scrape must not hurt the
 * prober on the same event loop: latency comes from in-memory aggregates when this instance runs the engine, the
 * store-wide figures (uptime, SLOs, alerts) are refreshed at most every STORE_REFRESH_MS, and the app shares one
 * rendering between concurrent or rapid scrapes (shared-rendering.ts).
 */
import { listAlerts } from '../alerts/index.js';
import { readSloReport } from '../slo/index.js';
import { nowOf, type ServerContext } from './context.js';
import { type MetricFamily, renderExposition, renderLabelPairs, type Sample } from './exposition.js';
import { createSlicer, mapInSlices } from './slices.js';

export const LATENCY_WINDOW_MS = 300_000;
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
  const [latencies, { uptimes, slo, alerts }] = await Promise.all([
    live
      ? mapInSlices(monitors, (m) => live.latency(m.id, now, LATENCY_WINDOW_MS, LATENCY_QUANTILES))
      : Promise.all(
          monitors.map((m) =>
            store.monitoring.latencyQuantiles({ monitor: m.id }, now - LATENCY_WINDOW_MS + 1, now + 1, [
              ...LATENCY_QUANTILES,
            ]),
          ),
        ),
    storeFigures(ctx, now, services),
  ]);

  const labels = monitorLabels(ctx, monitors);
  const latency: Sample[] = [];
  const turn = createSlicer();
  for (let i = 0; i < monitors.length; i++) {
    const { text, quantiles } = labels[i]!;
    const l = latencies[i]!;
    for (const q of l.quantiles)
      if (q.ms !== null)
        latency.push({
          labelText: quantiles[LATENCY_QUANTILES.indexOf(q.q as Quantile)] ?? `${text},quantile="${q.q}"`,
          value: q.ms / 1000,
        });
    latency.push({ suffix: '_sum', labelText: text, value: ((l.meanMs ?? 0) * l.count) / 1000 });
    latency.push({ suffix: '_count', labelText: text, value: l.count });
    if (i % 256 === 255) await turn();
  }

  const families: MetricFamily[] = [
    {
      name: 'opsbook_up',
      help: 'Whether the last check of the monitor answered (1: up or degraded, 0: down).',
      type: 'gauge',
      samples: monitors.flatMap((m, i) =>
        m.lastOutcome ? [{ labelText: labels[i]!.text, value: m.lastOutcome === 'down' ? 0 : 1 }] : [],
      ),
    },
    {
      name: 'opsbook_probe_latency_seconds',
      help: 'Check latency of the monitor over the last 5 minutes (answered checks only).',
      type: 'summary',
      samples: latency,
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

type Quantile = (typeof LATENCY_QUANTILES)[number];

/** A monitor's label pairs, rendered: alone and with each latency quantile. */
interface MonitorLabels {
  environment: string;
  service: string;
  text: string;
  quantiles: string[];
}
const labelCache = new WeakMap<ServerContext, Map<string, MonitorLabels>>();

/**
 * The label pairs of each monitor, rendered on the scrape that first sees it and kept for the next: they are the
 * same from one scrape to the next, and rendering them (with the quantile pairs, 100,000 strings at 20,000 monitors)
 * was event-loop time on every scrape. Monitors gone since the last scrape are forgotten.
 */
export function monitorLabels(
  ctx: ServerContext,
  monitors: readonly { id: string; environment: string; service: string }[],
): MonitorLabels[] {
  const before = labelCache.get(ctx);
  const now = new Map<string, MonitorLabels>();
  const out = monitors.map((m) => {
    let labels = before?.get(m.id);
    if (labels?.service !== m.service || labels.environment !== m.environment) {
      const text = renderLabelPairs({ service: m.service, monitor: monitorLabel(m) });
      labels = {
        environment: m.environment,
        service: m.service,
        text,
        quantiles: LATENCY_QUANTILES.map((q) => `${text},quantile="${q}"`),
      };
    }
    now.set(m.id, labels);
    return labels;
  });
  labelCache.set(ctx, now);
  return out;
}

/** The monitor's id without its `<environment>:<service>:` prefix: its name, made unique as the id is. */
function monitorLabel(m: { id: string; environment: string; service: string }): string {
  const prefix = `${m.environment}:${m.service}:`;
  return m.id.startsWith(prefix) ? m.id.slice(prefix.length) : m.id;
}

export async function renderMetrics(ctx: ServerContext): Promise<Buffer<ArrayBuffer>> {
  return renderExposition(await collectMetrics(ctx));
}
