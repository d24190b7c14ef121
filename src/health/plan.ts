/** What to probe for each service: its health endpoints over HTTP, and a database's or cache's connection. */
import type { ResolvedService, StackConfig } from '../config/index.js';
import { type ProbeContext, type ProbeResult, probeHttp } from '../probes/index.js';
import { connectionProbe, endpointProbes, type HealthType } from './probe-targets.js';

export type { HealthType };

/** The endpoint types a one-off health check calls; `detailed` (admin diagnostics) and `smoke` are left out. */
export const DEFAULT_HEALTH_TYPES: readonly HealthType[] = ['liveness', 'readiness', 'deep', 'ping'];

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
  const probes: PlannedProbe[] = [];
  const notes: string[] = [];
  const retries = config.monitoring.retries;
  for (const { name, target } of endpointProbes(service, {
    environment,
    types,
    baseUrl: service.url,
    retries,
  })) {
    if ('error' in target) notes.push(`${name}: ${target.error}`);
    else
      probes.push({
        name,
        kind: 'http',
        target: `${target.method ?? 'GET'} ${target.url}`,
        run: (ctx) => probeHttp(target, ctx),
      });
  }
  const connection = connectionProbe(service, all, config, env);
  if (connection && 'reason' in connection) notes.push(connection.reason);
  else if (connection)
    probes.push({
      name: connection.engine,
      kind: connection.engine,
      target: connection.shown,
      run: connection.run,
    });
  else if (!probes.length && !notes.length) {
    notes.push(
      service.kind === 'external' ? 'external service: no probe configured' : 'no health endpoint configured',
    );
  }
  return { service, probes, notes };
}
