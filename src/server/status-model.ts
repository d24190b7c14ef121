/** The public status: each component's state, its 90 daily uptime bars, 90-day uptime and current p95. */
import { resolveEnvironment, type StackConfig } from '../config/index.js';
import type { HealthState } from '../health/index.js';
import { type ComponentState, componentState, type OverallStatus, overallStatus } from './component-state.js';
import { nowOf, type ServerContext } from './context.js';
import { type CurrentHealth, readCurrentHealth } from './current-health.js';
import { HISTORY_DAYS, type PublicIncident, readPublicIncidents } from './incidents.js';
import { isUnderMaintenance, type Maintenance, readMaintenance } from './maintenance.js';

export const UPTIME_DAYS = HISTORY_DAYS;
const DAY_MS = 86_400_000;
/** "Current" p95: over the last hour, enough checks to mean something at a one-minute interval. */
export const CURRENT_LATENCY_WINDOW_MS = 3_600_000;

export interface DayBar {
  /** YYYY-MM-DD (UTC). */
  date: string;
  total: number;
  /** Available checks (up or degraded) / total; null without checks. */
  uptime: number | null;
}

export interface ComponentStatus {
  service: string;
  name: string;
  state: ComponentState;
  health: HealthState;
  /** Over the days shown; null without checks. */
  uptime90d?: number | null;
  p95Ms?: number | null;
  days?: DayBar[];
}

export interface StackStatus {
  title: string;
  stack: string;
  environment: string;
  updatedAt: string;
  overall: OverallStatus;
  /** The health roll-up of the whole stack, public components or not. */
  health: HealthState;
  components: ComponentStatus[];
  /** Open incidents that touch a published component, with their public updates. */
  incidents: PublicIncident[];
  /** Resolved ones of the last 90 days (with `history`). */
  history?: PublicIncident[];
}

/** The configured components, or every web and static service of the environment. */
export function statusComponents(
  config: StackConfig,
  environment: string,
): { service: string; name: string }[] {
  const services = resolveEnvironment(config, environment);
  const present = new Set(services.map((s) => s.name));
  const configured = config.statusPage?.components;
  if (!configured)
    return services
      .filter((s) => s.kind === 'web' || s.kind === 'static')
      .map((s) => ({ service: s.name, name: s.name }));
  return configured
    .map((c) =>
      typeof c === 'string' ? { service: c, name: c } : { service: c.service, name: c.name ?? c.service },
    )
    .filter((c) => present.has(c.service));
}

export async function readStatus(
  ctx: ServerContext,
  options: { history?: boolean } = {},
): Promise<StackStatus> {
  const now = nowOf(ctx);
  const [current, maintenance] = await Promise.all([readCurrentHealth(ctx), readMaintenance(ctx)]);
  const pageState = pageStates(ctx, current, maintenance);
  const components = await Promise.all(
    statusComponents(ctx.config, ctx.environment).map(async (c): Promise<ComponentStatus> => {
      const svc = current.services.get(c.service);
      const base = { ...c, state: pageState(c.service), health: svc?.health ?? 'unknown' };
      return options.history ? { ...base, ...(await readHistory(ctx, c.service, now)) } : base;
    }),
  );
  const incidents = await readPublicIncidents(ctx, statusComponents(ctx.config, ctx.environment));
  let overall = overallStatus(components);
  // Components can look fine while an incident is still open (say, monitoring after a fix): say so.
  if (incidents.open.length && (overall.state === 'operational' || overall.state === 'unknown'))
    overall = { state: 'degraded_performance', description: `Active incident: ${incidents.open[0]!.title}` };
  return {
    title: ctx.config.statusPage?.title ?? `${ctx.config.name} status`,
    stack: ctx.config.name,
    environment: ctx.environment,
    updatedAt: new Date(now).toISOString(),
    overall,
    health: current.stack.state,
    components,
    incidents: incidents.open,
    ...(options.history ? { history: incidents.history } : {}),
  };
}

/**
 * Each service's page state from its own fresh results; one down only through a critical dependency takes
 * the worst page state of its unhealthy critical dependencies (at least a partial outage), so a dependent
 * never looks worse than what actually fails.
 */
function pageStates(
  ctx: ServerContext,
  current: CurrentHealth,
  maintenance: Maintenance,
): (service: string) => ComponentState {
  const dependencies = new Map(
    resolveEnvironment(ctx.config, ctx.environment).map((s) => [s.name, s.dependencies]),
  );
  const memo = new Map<string, ComponentState>();
  const visiting = new Set<string>();
  const stateOf = (service: string): ComponentState => {
    const known = memo.get(service);
    if (known) return known;
    visiting.add(service);
    const svc = current.services.get(service);
    const monitors = svc?.monitors.filter((m) => m.outcome !== null) ?? [];
    const failing = dependencies
      .get(service)
      ?.filter((d) => d.critical && !visiting.has(d.service))
      .filter((d) => current.services.get(d.service)?.health === 'unhealthy')
      .map((d) => stateOf(d.service));
    const worst = failing?.includes('major_outage') ? 'major_outage' : undefined;
    const state = componentState(
      svc?.health ?? 'unknown',
      { failing: monitors.filter((m) => m.outcome === 'down').length, total: monitors.length },
      isUnderMaintenance(maintenance, service),
      worst,
    );
    visiting.delete(service);
    memo.set(service, state);
    return state;
  };
  return stateOf;
}

async function readHistory(ctx: ServerContext, service: string, now: number) {
  const selector = { service, environment: ctx.environment };
  const tomorrow = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  const [buckets, latency] = await Promise.all([
    ctx.store.monitoring.buckets(selector, 'day', tomorrow - UPTIME_DAYS * DAY_MS, tomorrow),
    ctx.store.monitoring.latencyQuantiles(selector, now - CURRENT_LATENCY_WINDOW_MS, now + 1, [0.95]),
  ]);
  const days = buckets.map((b) => ({
    date: b.start.slice(0, 10),
    total: b.total,
    uptime: b.total ? (b.good + b.degraded) / b.total : null,
  }));
  const total = buckets.reduce((n, b) => n + b.total, 0);
  const available = buckets.reduce((n, b) => n + b.good + b.degraded, 0);
  return { days, uptime90d: total ? available / total : null, p95Ms: latency.quantiles[0]?.ms ?? null };
}
