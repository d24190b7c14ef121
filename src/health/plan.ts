/** What to probe for each service: its health endpoints over HTTP, and a database's or cache's connection. */
import {
  type HealthEndpoint,
  parseDuration,
  type ResolvedService,
  type StackConfig,
} from '../config/index.js';
import {
  describeConnection,
  httpTargetFor,
  type ProbeContext,
  type ProbeResult,
  probeHttp,
  probePostgres,
  probeRedis,
} from '../probes/index.js';
import { findConnectionUrl } from './connection-url.js';

export type HealthType = HealthEndpoint['type'];

/** The endpoint types a one-off health check calls; `detailed` (admin diagnostics) and `smoke` are left out. */
export const DEFAULT_HEALTH_TYPES: readonly HealthType[] = ['liveness', 'readiness', 'deep', 'ping'];

/** Connection checks should fail fast even when monitoring allows slow HTTP answers. */
const MAX_CONNECT_TIMEOUT_MS = 5_000;

export interface PlannedProbe {
  name: string;
  kind: 'http' | 'postgres' | 'redis';
  /** What is probed, fit to show: method and URL, or the connection without its password and the variable. */
  target: string;
  run: (ctx: ProbeContext) => Promise<ProbeResult>;
}

export interface ServicePlan {
  service: ResolvedService;
  probes: PlannedProbe[];
  /** Why something could not be probed. */
  notes: string[];
}

export function planService(
  service: ResolvedService,
  all: readonly ResolvedService[],
  config: StackConfig,
  environment: string,
  env: Record<string, string | undefined>,
  types: readonly HealthType[],
): ServicePlan {
  const retries = config.monitoring.retries;
  const probes: PlannedProbe[] = [];
  const notes: string[] = [];
  for (const endpoint of service.health) {
    if (!types.includes(endpoint.type)) continue;
    if (endpoint.environments && !endpoint.environments.includes(environment)) continue;
    const name = endpoint.name ?? endpoint.type;
    const target = httpTargetFor(endpoint, service.url, { retries });
    if ('error' in target) notes.push(`${name}: ${target.error}`);
    else
      probes.push({
        name,
        kind: 'http',
        target: `${target.method ?? 'GET'} ${target.url}`,
        run: (ctx) => probeHttp(target, ctx),
      });
  }
  if (service.kind === 'database' || service.kind === 'cache') {
    const source = findConnectionUrl(service, all, env);
    if ('reason' in source) notes.push(source.reason);
    else {
      const target = {
        url: source.url,
        retries,
        timeoutMs: Math.min(parseDuration(config.monitoring.timeout), MAX_CONNECT_TIMEOUT_MS),
      };
      probes.push({
        name: source.engine,
        kind: source.engine,
        target: `${describeConnection(source.url)} (from ${source.variable})`,
        run: (ctx) => (source.engine === 'postgres' ? probePostgres(target, ctx) : probeRedis(target, ctx)),
      });
    }
  } else if (!probes.length && !notes.length) {
    notes.push(
      service.kind === 'external' ? 'external service: no probe configured' : 'no health endpoint configured',
    );
  }
  return { service, probes, notes };
}
