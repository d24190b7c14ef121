/**
 * The monitors of an environment, from the config: every health endpoint of the monitored types with a
 * URL, and a connection check for each database or cache whose URL can be found. Ids are stable
 * (`<environment>:<service>:<name>`) so the schedule and history survive restarts and are shared by
 * every instance.
 */
import {
  type HealthEndpoint,
  parseDuration,
  type ResolvedService,
  resolveEnvironment,
  type StackConfig,
} from '../config/index.js';
import { DEFAULT_HEALTH_TYPES, findConnectionUrl, type HealthType } from '../health/index.js';
import {
  describeConnection,
  httpTargetFor,
  type ProbeContext,
  type ProbeResult,
  probeHttp,
  probePostgres,
  probeRedis,
} from '../probes/index.js';
import type { MonitorDefinition } from '../store/index.js';

/** A monitor: its persisted definition and the check it runs. */
export interface Monitor extends MonitorDefinition {
  check(ctx: ProbeContext): Promise<ProbeResult>;
}

/** Why a service has no monitor (or one fewer): no URL, no connection variable set. */
export interface MonitorNote {
  service: string;
  message: string;
}

export interface DeriveMonitorsOptions {
  config: StackConfig;
  environment: string;
  /** Where connection URLs (DATABASE_URL, REDIS_URL, ...) are found. */
  env: Record<string, string | undefined>;
  /** Health endpoint types to monitor. Default liveness, readiness, deep, ping. */
  types?: readonly HealthType[];
}

/** Connection checks should fail fast even when HTTP answers may be slow (as in `checkHealth`). */
const MAX_CONNECT_TIMEOUT_MS = 5_000;

export function deriveMonitors(options: DeriveMonitorsOptions): {
  monitors: Monitor[];
  notes: MonitorNote[];
} {
  const { config, environment, env } = options;
  const types = options.types ?? DEFAULT_HEALTH_TYPES;
  const all = resolveEnvironment(config, environment);
  const defaultInterval = parseDuration(config.monitoring.interval);
  const retries = config.monitoring.retries;
  const monitors: Monitor[] = [];
  const notes: MonitorNote[] = [];
  const taken = new Set<string>();
  const idFor = (service: string, name: string) => {
    const base = `${environment}:${service}:${name}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  };

  for (const service of all) {
    for (const endpoint of monitoredEndpoints(service, environment, types)) {
      const name = endpoint.name ?? endpoint.type;
      const target = httpTargetFor(endpoint, service.url, { retries });
      if ('error' in target) {
        notes.push({ service: service.name, message: `${name}: ${target.error}` });
        continue;
      }
      monitors.push({
        id: idFor(service.name, name),
        environment,
        service: service.name,
        name,
        kind: 'http',
        target: `${target.method ?? 'GET'} ${target.url}`,
        intervalMs: endpoint.interval ? parseDuration(endpoint.interval) : defaultInterval,
        timeoutMs: target.timeoutMs ?? parseDuration(endpoint.timeout),
        retries,
        check: (ctx) => probeHttp(target, ctx),
      });
    }
    if (service.kind !== 'database' && service.kind !== 'cache') continue;
    const source = findConnectionUrl(service, all, env);
    if ('reason' in source) {
      notes.push({ service: service.name, message: source.reason });
      continue;
    }
    const target = {
      url: source.url,
      retries,
      timeoutMs: Math.min(parseDuration(config.monitoring.timeout), MAX_CONNECT_TIMEOUT_MS),
    };
    monitors.push({
      id: idFor(service.name, source.engine),
      environment,
      service: service.name,
      name: source.engine,
      kind: source.engine,
      target: `${describeConnection(source.url)} (from ${source.variable})`,
      intervalMs: defaultInterval,
      timeoutMs: target.timeoutMs,
      retries,
      check: (ctx) => (source.engine === 'postgres' ? probePostgres(target, ctx) : probeRedis(target, ctx)),
    });
  }
  return { monitors, notes };
}

function monitoredEndpoints(
  service: ResolvedService,
  environment: string,
  types: readonly HealthType[],
): HealthEndpoint[] {
  return service.health.filter(
    (e) => types.includes(e.type) && (!e.environments || e.environments.includes(environment)),
  );
}
