/** From a configured health endpoint to an HTTP probe target: the URL joined, durations in milliseconds. */
import { type HealthEndpoint, parseDuration } from '../config/index.js';
import type { HttpTarget } from './http.js';

export interface HttpTargetOptions {
  /** `monitoring.retries` from the config. */
  retries?: number;
}

/** The endpoint's absolute URL: its own `url`, or its `path` under the service URL; undefined without either. */
export function endpointUrl(endpoint: HealthEndpoint, serviceUrl: string | undefined): string | undefined {
  if (endpoint.url) return endpoint.url;
  if (!serviceUrl || !endpoint.path) return undefined;
  // Joined as text, not with new URL(path, base), which would drop a base path such as /api.
  return `${serviceUrl.replace(/\/+$/, '')}${endpoint.path}`;
}

export function httpTargetFor(
  endpoint: HealthEndpoint,
  serviceUrl: string | undefined,
  options: HttpTargetOptions = {},
): HttpTarget | { error: string } {
  const url = endpointUrl(endpoint, serviceUrl);
  if (!url)
    return { error: `no URL to probe: the service has no URL in this environment for ${endpoint.path}` };
  const { certificateValidFor, ...expect } = endpoint.expect;
  return {
    url,
    method: endpoint.method,
    ...(endpoint.auth ? { auth: endpoint.auth } : {}),
    expect: {
      ...expect,
      ...(certificateValidFor ? { certificateValidForMs: parseDuration(certificateValidFor) } : {}),
    },
    ...(endpoint.degraded ? { degraded: endpoint.degraded } : {}),
    ...(endpoint.latencyBudget ? { latencyBudgetMs: parseDuration(endpoint.latencyBudget) } : {}),
    timeoutMs: parseDuration(endpoint.timeout),
    retries: options.retries ?? 0,
  };
}
