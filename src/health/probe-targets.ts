/**
 * The one answer to "what do we probe for this service": its health endpoints of the asked types that apply to
 * the environment, each as an HTTP probe target, and a database's or cache's connection check. A one-off health
 * check, the monitors and deploy verification all take what they probe from here.
 */
import {
  type HealthEndpoint,
  parseDuration,
  type ResolvedService,
  type StackConfig,
} from '../config/index.js';
import {
  describeConnection,
  type HttpTarget,
  httpTargetFor,
  type ProbeContext,
  type ProbeResult,
  probePostgres,
  probeRedis,
} from '../probes/index.js';
import { findConnectionUrl } from './connection-url.js';

export type HealthType = HealthEndpoint['type'];

/** Connection checks should fail fast even when monitoring allows slow HTTP answers. */
const MAX_CONNECT_TIMEOUT_MS = 5_000;

/** The service's endpoints of `types` that apply to `environment` (an endpoint may name the environments it is for). */
export function probedEndpoints(
  service: ResolvedService,
  environment: string,
  types: readonly HealthType[],
): HealthEndpoint[] {
  return service.health.filter(
    (e) => types.includes(e.type) && (!e.environments || e.environments.includes(environment)),
  );
}

export interface EndpointProbe {
  /** The endpoint's name, or its type when it has none. */
  name: string;
  endpoint: HealthEndpoint;
  /** What to request, or why nothing can be (no URL in this environment). */
  target: HttpTarget | { error: string };
}

export interface EndpointProbeOptions {
  environment: string;
  types: readonly HealthType[];
  /** What relative paths resolve against: the service's URL, or the release being verified. */
  baseUrl: string | undefined;
  retries?: number;
}

/** `probedEndpoints` with the HTTP target of each. */
export function endpointProbes(service: ResolvedService, options: EndpointProbeOptions): EndpointProbe[] {
  return probedEndpoints(service, options.environment, options.types).map((endpoint) => ({
    name: endpoint.name ?? endpoint.type,
    endpoint,
    target: httpTargetFor(endpoint, options.baseUrl, { retries: options.retries }),
  }));
}

export interface ConnectionProbe {
  engine: 'postgres' | 'redis';
  /** The connection without its password, and the variable it was found in. */
  shown: string;
  timeoutMs: number;
  retries: number;
  run: (ctx: ProbeContext) => Promise<ProbeResult>;
}

/**
 * A database's or cache's connection check, or why it cannot be made (no connection URL found);
 * undefined for other kinds of service.
 */
export function connectionProbe(
  service: ResolvedService,
  all: readonly ResolvedService[],
  config: StackConfig,
  env: Record<string, string | undefined>,
): ConnectionProbe | { reason: string } | undefined {
  if (service.kind !== 'database' && service.kind !== 'cache') return undefined;
  const source = findConnectionUrl(service, all, env);
  if ('reason' in source) return { reason: source.reason };
  const target = {
    url: source.url,
    retries: config.monitoring.retries,
    timeoutMs: Math.min(parseDuration(config.monitoring.timeout), MAX_CONNECT_TIMEOUT_MS),
  };
  return {
    engine: source.engine,
    shown: `${describeConnection(source.url)} (from ${source.variable})`,
    timeoutMs: target.timeoutMs,
    retries: target.retries,
    run: (ctx) => (source.engine === 'postgres' ? probePostgres(target, ctx) : probeRedis(target, ctx)),
  };
}
