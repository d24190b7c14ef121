/** `opsbook slo`: flags → the slo use-case → the table. */
import { slo } from '../app/slo.js';
import type { Output } from '../output/index.js';
import type { SloReport, SloStatus } from '../slo/index.js';
import { configFor } from './config.js';
import type { SLO_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

const pct = (ratio: number | null, digits = 2) =>
  ratio === null ? '-' : `${(ratio * 100).toFixed(digits)}%`;
const rate = (r: number | null) => (r === null ? '-' : Number.isFinite(r) ? `${r.toFixed(1)}x` : '∞');

function state(s: SloStatus): string {
  if (s.total === 0) return 'no data';
  if (s.burning.some((b) => b.severity === 'page')) return 'burning (page)';
  if (s.burning.length) return 'burning (ticket)';
  return (s.budgetRemaining ?? 1) < 0 ? 'budget spent' : 'ok';
}

export function printSlo(report: SloReport, out: Output): void {
  out.heading(`SLOs · ${report.environment}`);
  if (!report.slos.length) {
    out.error('no SLOs for this environment', 'add slos: to opsbook.yaml');
    return;
  }
  if (!report.slos.some((s) => s.total > 0))
    out.error(
      `cannot tell: no SLO has a single measurement in its window`,
      "the SLIs come from the monitor history: run 'opsbook serve' (with this store) so that the services are checked",
    );
  out.table(report.slos, [
    { header: 'SLO', value: (s) => s.id },
    { header: 'SERVICE', value: (s) => s.service },
    { header: 'OBJECTIVE', value: (s) => `${pct(s.objective, 2)} / ${s.window}` },
    { header: 'SLI', value: (s) => pct(s.sli, 3) },
    { header: 'BUDGET LEFT', value: (s) => pct(s.budgetRemaining, 1) },
    { header: 'BURN 1h', value: (s) => rate(s.burnRates['1h']) },
    { header: 'BURN 6h', value: (s) => rate(s.burnRates['6h']) },
    { header: 'BURN 3d', value: (s) => rate(s.burnRates['3d']) },
    { header: 'STATE', value: state },
  ]);
  out.line();
  out.note(
    'burn rate 1x spends exactly the error budget over the SLO window; for a 30-day SLO, pages at 14.4x (1h and 5m) or 6x (6h and 30m)',
  );
}

export const run: CommandHandler<typeof SLO_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const report = await slo({
    cwd: input.cwd,
    config: loaded.config,
    env: input.env,
    environment: input.values.env,
    slo: input.values.slo,
  });
  // Nothing configured or nothing measured is not a report that all is well.
  const ok = report.slos.some((s) => s.total > 0);
  return { ok, data: report, print: (out) => printSlo(report, out) };
};
