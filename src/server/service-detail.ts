/** One service in detail for `/api/v1/services/:name`: health, uptime 24h/7d/30d, latency percentiles, last samples. */
import { closestMatch, resolveEnvironment } from '../config/index.js';
import { UserError } from '../errors.js';
import type { HealthState } from '../health/index.js';
import type { SampleRecord } from '../store/index.js';
import { nowOf, type ServerContext } from './context.js';
import { type MonitorNow, readCurrentHealth } from './current-health.js';

export const UPTIME_WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
const LATENCY_WINDOW = '24h';
const LAST_SAMPLES = 20;

export interface ServiceDetail {
  service: string;
  kind: string;
  environment: string;
  health: HealthState;
  reasons: string[];
  monitors: MonitorNow[];
  uptime: Record<keyof typeof UPTIME_WINDOWS, { availability: number | null; total: number; down: number }>;
  latency: {
    window: string;
    count: number;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
  };
  samples: Omit<SampleRecord, 'environment' | 'service'>[];
}

export async function readServiceDetail(ctx: ServerContext, name: string): Promise<ServiceDetail> {
  const names = resolveEnvironment(ctx.config, ctx.environment).map((s) => s.name);
  if (!names.includes(name)) {
    const guess = closestMatch(name, names);
    throw new UserError(
      `no service '${name}' in ${ctx.environment}`,
      guess ? `did you mean '${guess}'?` : `services: ${names.join(', ')}`,
      'not-found',
    );
  }
  const now = nowOf(ctx);
  const selector = { service: name, environment: ctx.environment };
  const monitoring = ctx.store.monitoring;
  // Windows are (now - span, now], as the SLO report reads them: a check made now counts.
  const to = now + 1;
  const since = (ms: number) => now - ms + 1;
  const [current, latency, samples, ...uptimes] = await Promise.all([
    readCurrentHealth(ctx),
    monitoring.latencyQuantiles(selector, since(UPTIME_WINDOWS[LATENCY_WINDOW]), to, [0.5, 0.95, 0.99]),
    monitoring.samples(selector, since(UPTIME_WINDOWS['30d']), to, { order: 'desc', limit: LAST_SAMPLES }),
    ...Object.values(UPTIME_WINDOWS).map((ms) => monitoring.uptime(selector, since(ms), to)),
  ]);
  const svc = current.services.get(name)!;
  const uptime = Object.fromEntries(
    Object.keys(UPTIME_WINDOWS).map((w, i) => {
      const u = uptimes[i]!;
      return [w, { availability: u.availability, total: u.total, down: u.down }];
    }),
  ) as ServiceDetail['uptime'];
  const [p50, p95, p99] = latency.quantiles.map((q) => q.ms);
  return {
    service: name,
    kind: svc.kind,
    environment: ctx.environment,
    health: svc.health,
    reasons: svc.reasons,
    monitors: svc.monitors,
    uptime,
    latency: {
      window: LATENCY_WINDOW,
      count: latency.count,
      p50Ms: p50 ?? null,
      p95Ms: p95 ?? null,
      p99Ms: p99 ?? null,
    },
    samples: samples.map(({ environment: _e, service: _s, ...rest }) => rest),
  };
}
