/**
 * The `slo-report` check: the SLO report (`opsbook slo`) as evidence — per SLO of the environment, attainment over
 * its window, error budget left and burn rates. Fails when a budget is exhausted; cannot tell without SLOs or
 * without measurements in an SLO's window.
 */
import { readSloReport, type SloStatus } from '../../slo/index.js';
import type { Evidence, Finding } from '../types.js';
import type { CheckContext } from './context.js';

/** The burn-rate windows shown in a finding: the short one the page pairs use up to the longest ticket one. */
const SHOWN_BURN = ['1h', '6h', '1d', '3d'] as const;

const pct = (ratio: number, digits: number) => `${Number((ratio * 100).toFixed(digits))}%`;
const times = (rate: number) => (Number.isFinite(rate) ? `${Number(rate.toFixed(2))}x` : 'unbounded');

function describeSlo(s: SloStatus, percentile: number): string {
  const head = `${s.id} (${s.service}, ${s.indicator} ${pct(s.objective, 3)} over ${s.window})`;
  if (s.sli === null || s.budgetRemaining === null)
    return `${head}: cannot tell: no measurements in its ${s.window} window (is the service monitored here?)`;
  const budget =
    s.budgetRemaining <= 0
      ? `error budget exhausted (${s.bad} bad of ${Number(s.allowedBad.toFixed(1))} allowed)`
      : `error budget ${pct(s.budgetRemaining, 1)} left (${s.bad} bad of ${Number(s.allowedBad.toFixed(1))} allowed)`;
  const burn = SHOWN_BURN.flatMap((w) => {
    const rate = s.burnRates[w];
    return rate === null ? [] : [`${w} ${times(rate)}`];
  }).join(', ');
  const burning = s.burning.length
    ? `; burning: ${s.burning.map((b) => `${b.severity} ${b.factor}x ${b.long}/${b.short}`).join(', ')}`
    : '';
  const latency = s.percentileMs != null ? `, p${percentile} ${s.percentileMs} ms` : '';
  return `${head}: attainment ${pct(s.sli, 3)} (${s.good} of ${s.total} good${latency}), ${budget}, burn ${burn}${burning}`;
}

export async function sloReportCheck(ctx: CheckContext): Promise<Evidence> {
  if (!ctx.config.slos.length)
    return {
      ok: false,
      summary: 'cannot tell: no SLOs are configured (add slos: to opsbook.yaml)',
      findings: [],
    };
  if (!ctx.store)
    return { ok: false, summary: 'cannot tell: no store to read the monitor history from', findings: [] };
  const environment =
    'production' in ctx.config.environments ? 'production' : (Object.keys(ctx.config.environments)[0] ?? '');
  const report = await readSloReport({
    store: ctx.store,
    config: ctx.config,
    environment,
    now: ctx.now.getTime(),
  });
  if (!report.slos.length)
    return {
      ok: false,
      summary: `cannot tell: no SLO names a service of ${environment}`,
      findings: [],
      data: report,
    };
  const unmeasured = report.slos.filter((s) => s.budgetRemaining === null);
  const exhausted = report.slos.filter((s) => s.budgetRemaining !== null && s.budgetRemaining <= 0);
  const findings: Finding[] = report.slos.map((s) => ({
    severity: s.budgetRemaining !== null && s.budgetRemaining > 0 && !s.burning.length ? 'info' : 'warning',
    message: describeSlo(s, ctx.config.slos.find((c) => c.id === s.id)?.percentile ?? 95),
  }));
  const n = report.slos.length;
  const parts = [
    exhausted.length ? `${exhausted.length} of ${n} SLO(s) exhausted their error budget` : '',
    unmeasured.length ? `cannot tell ${unmeasured.length} of ${n} SLO(s): no measurements in the window` : '',
  ].filter(Boolean);
  return {
    ok: !exhausted.length && !unmeasured.length,
    summary: `${environment}: ${parts.length ? parts.join('; ') : `${n} SLO(s) within their error budget`}`,
    findings,
    data: report,
  };
}
