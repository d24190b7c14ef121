import { health } from '../app/health.js';
import { EXIT } from '../errors.js';
import type { HealthReport, HealthState, ServiceHealth } from '../health/index.js';
import type { Output } from '../output/index.js';
import { formatMs } from '../timing/index.js';
import { configFor } from './config.js';
import type { HEALTH_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

const COLOUR: Record<HealthState, 'green' | 'yellow' | 'red' | 'dim'> = {
  healthy: 'green',
  degraded: 'yellow',
  unhealthy: 'red',
  unknown: 'dim',
};

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function latency(s: ServiceHealth): string {
  const worst = Math.max(...s.probes.map((p) => p.result.latencyMs));
  return s.probes.length ? formatMs(worst) : '-';
}

export function printHealth(report: HealthReport, out: Output): void {
  out.heading(`${report.stack} · ${report.environment}${report.service ? ` · ${report.service}` : ''}`);
  out.table(report.services, [
    { header: 'SERVICE', value: (s) => s.service },
    { header: 'STATUS', value: (s) => s.state },
    { header: 'PROBE', value: (s) => s.probes.map((p) => `${p.name} ${p.result.outcome}`).join(', ') || '-' },
    { header: 'LATENCY', value: latency },
    { header: 'WHY', value: (s) => cut(s.reasons.join('; '), 120) || '-' },
  ]);
  out.line();
  const what = report.service ? report.service : 'stack';
  const summary = `${what} ${report.state}${report.reasons.length ? `: ${cut(report.reasons.join('; '), 160)}` : ''}`;
  if (report.state === 'healthy') out.success(summary);
  else out.line(out.mode === 'plain' ? summary : `${out.style(COLOUR[report.state], '●')} ${summary}`);
  out.note(`checked in ${formatMs(report.durationMs)}`);
}

export const run: CommandHandler<typeof HEALTH_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const report = await health({
    cwd: input.cwd,
    redactor: input.out.redactor,
    config: loaded.config,
    environment: input.values.env,
    service: input.values.service,
    env: input.env,
    signal: input.signal,
  });
  // Unknown means nothing could be probed at all (no URL, no probe): a check that saw nothing is no pass.
  const failed = report.state === 'unhealthy' || report.state === 'unknown';
  return {
    ok: !failed,
    data: report,
    exitCode: failed ? EXIT.failed : EXIT.ok,
    print: (out) => printHealth(report, out),
  };
};
