/** Error budget and burn rates per SLO: what `opsbook slo`, the API and the status page show. */
import { parseDuration, resolveEnvironment, type Slo, type StackConfig } from '../config/index.js';
import type { Store } from '../store/index.js';
import { formatSpan } from '../timing/index.js';
import { BURN_RATE_PAGE, BURN_RATE_TICKET, burnRate, burnWindows } from './burn-rate.js';
import { createMonitorHistory } from './monitor-history.js';
import { objectiveOf, sliCounts } from './sli.js';
import type { HistoryReader } from './types.js';

/** The windows burn rates are reported over: the short and long windows of the alert pairs. */
export const REPORTED_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

export interface SloStatus {
  id: string;
  service: string;
  indicator: Slo['indicator'];
  description?: string;
  /** Ratio, e.g. 0.995. */
  objective: number;
  window: string;
  good: number;
  total: number;
  /** good / total over the SLO window; null before any check. */
  sli: number | null;
  /** 1 - objective. */
  errorBudget: number;
  /** Share of the budget left: 1 untouched, 0 spent, below 0 overspent; null before any check. */
  budgetRemaining: number | null;
  /** Bad events the budget allows at the current volume, and the bad events so far. */
  allowedBad: number;
  bad: number;
  /** Burn rate (1 = spending exactly the budget over the period) per window; null without checks. */
  burnRates: Record<(typeof REPORTED_WINDOWS)[number], number | null>;
  /** The multiwindow pairs that currently exceed their factor (as their alerts see it). */
  burning: { severity: 'page' | 'ticket'; factor: number; long: string; short: string }[];
  /** For latency SLOs: the percentile named in the config over the SLO window, in ms. */
  percentileMs?: number | null;
}

export interface SloReportOptions {
  config: StackConfig;
  environment: string;
  history: HistoryReader;
  now: number;
  /** Only this SLO. */
  slo?: string;
}

export interface SloReport {
  environment: string;
  at: string;
  slos: SloStatus[];
}

export async function computeSloReport(options: SloReportOptions): Promise<SloReport> {
  const services = new Set(resolveEnvironment(options.config, options.environment).map((s) => s.name));
  const selected = options.config.slos.filter(
    (s) => services.has(s.service) && (!options.slo || s.id === options.slo),
  );
  const slos: SloStatus[] = [];
  for (const slo of selected) slos.push(await computeSloStatus(slo, options.history, options.now));
  return { environment: options.environment, at: new Date(options.now).toISOString(), slos };
}

export async function computeSloStatus(slo: Slo, history: HistoryReader, now: number): Promise<SloStatus> {
  const objective = objectiveOf(slo);
  const periodMs = parseDuration(slo.window);
  const memo = new Map<number, Promise<{ good: number; total: number; rate: number | null }>>();
  const over = (ms: number) => {
    let p = memo.get(ms);
    if (!p) {
      p = history.window(slo.service, now - ms, now).then(async (stats) => {
        const c = await sliCounts(slo, stats);
        return { ...c, rate: burnRate(c.good, c.total, objective) };
      });
      memo.set(ms, p);
    }
    return p;
  };

  const whole = await history.window(slo.service, now - periodMs, now);
  const { good, total } = await sliCounts(slo, whole);
  const rate = burnRate(good, total, objective);
  const burnRates = {} as SloStatus['burnRates'];
  for (const w of REPORTED_WINDOWS) burnRates[w] = (await over(parseDuration(w))).rate;

  const burning: SloStatus['burning'] = [];
  for (const [severity, budgets] of [
    ['page', BURN_RATE_PAGE],
    ['ticket', BURN_RATE_TICKET],
  ] as const) {
    for (const w of burnWindows(budgets, periodMs)) {
      const [long, short] = [await over(w.longMs), await over(w.shortMs)];
      if ((long.rate ?? 0) > w.factor && (short.rate ?? 0) > w.factor)
        burning.push({
          severity,
          factor: w.factor,
          long: formatSpan(w.longMs),
          short: formatSpan(w.shortMs),
        });
    }
  }

  return {
    id: slo.id,
    service: slo.service,
    indicator: slo.indicator,
    ...(slo.description ? { description: slo.description } : {}),
    objective,
    window: slo.window,
    good,
    total,
    sli: total ? good / total : null,
    errorBudget: 1 - objective,
    budgetRemaining: rate === null ? null : Number.isFinite(rate) ? 1 - rate : Number.NEGATIVE_INFINITY,
    allowedBad: (1 - objective) * total,
    bad: total - good,
    burnRates,
    burning,
    ...(slo.indicator === 'latency'
      ? { percentileMs: (await whole.latency.quantile((slo.percentile ?? 95) / 100)) ?? null }
      : {}),
  };
}

/** The report from the store's monitor history: what the API and status page call. */
export function readSloReport(options: {
  store: Pick<Store, 'monitoring'>;
  config: StackConfig;
  environment: string;
  now?: number;
  slo?: string;
}): Promise<SloReport> {
  return computeSloReport({
    config: options.config,
    environment: options.environment,
    history: createMonitorHistory(options.store.monitoring, options.environment),
    now: options.now ?? Date.now(),
    ...(options.slo ? { slo: options.slo } : {}),
  });
}
