/**
 * The monitors of an environment, from the config: every health endpoint of the monitored types with a
 * URL, and a connection check for each database or cache whose URL can be found. Ids are stable
 * (`<environment>:<service>:<name>`) so the schedule and history survive restarts and are shared by
 * every instance.
 */
import { parseDuration, resolveEnvironment, type StackConfig } from '../config/index.js';
import { connectionProbe, DEFAULT_HEALTH_TYPES, endpointProbes, type HealthType } from '../health/index.js';
import { type ProbeContext, type ProbeResult, probeHttp } from '../probes/index.js';
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
    for (const { name, endpoint, target } of endpointProbes(service, {
      environment,
      types,
      baseUrl: service.url,
      retries,
    })) {
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
    const connection = connectionProbe(service, all, config, env);
    if (!connection) continue;
    if ('reason' in connection) {
      notes.push({ service: service.name, message: connection.reason });
      continue;
    }
    monitors.push({
      id: idFor(service.name, connection.engine),
      environment,
      service: service.name,
      name: connection.engine,
      kind: connection.engine,
      target: connection.shown,
      intervalMs: defaultInterval,
      timeoutMs: connection.timeoutMs,
      retries,
      check: connection.run,
    });
  }
  return { monitors, notes };
}
