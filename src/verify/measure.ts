/** One verification measurement: probe every deployed service's health endpoints and smoke requests once. */
import type { HealthEndpoint, ResolvedService, StackConfig } from '../config/index.js';
import { probedEndpoints } from '../health/index.js';
import { httpTargetFor, type ProbeResult, probeHttp } from '../probes/index.js';
import type { Redactor } from '../redact/index.js';
import type { CheckOutcome } from './analysis.js';

const VERIFY_TYPES: readonly HealthEndpoint['type'][] = ['liveness', 'readiness', 'deep', 'smoke'];

/** A deployed service as verification sees it: where to send requests. */
export interface VerifyTarget {
  service: ResolvedService;
  baseUrl?: string;
}

export interface MeasureOptions {
  config: StackConfig;
  environment: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  fetch?: typeof fetch;
}

function toCheck(name: string, type: HealthEndpoint['type'], r: ProbeResult): CheckOutcome {
  // The first failure says enough in a one-line reason; the rest are counted.
  const detail = r.failures.length
    ? `${r.failures[0]}${r.failures.length > 1 ? ` (+${r.failures.length - 1} more)` : ''}`
    : `${r.status ?? 'ok'} in ${r.latencyMs} ms`;
  return {
    name,
    type,
    outcome: r.outcome === 'up' ? 'successful' : r.outcome === 'degraded' ? 'inconclusive' : 'failed',
    detail,
    latencyMs: r.latencyMs,
  };
}

/** The endpoints verification probes for a service: its own (for this environment) plus the deploy policy's smoke requests. */
export function verificationEndpoints(
  config: StackConfig,
  environment: string,
  target: VerifyTarget,
): { name: string; endpoint: HealthEndpoint }[] {
  const own = probedEndpoints(target.service, environment, VERIFY_TYPES).map((h) => ({
    name: `${target.service.name}:${h.type === 'smoke' ? `smoke:${h.name ?? h.path}` : (h.name ?? h.type)}`,
    endpoint: h,
  }));
  const smoke = config.deploy.verify.smoke
    .filter((s) => s.service === target.service.name)
    .map((s) => ({
      name: `${target.service.name}:smoke:${s.name ?? s.path}`,
      endpoint: {
        type: 'smoke' as const,
        path: s.path,
        method: s.method,
        expect: { status: s.expectStatus },
        timeout: '10s',
        ...(s.latencyBudget ? { latencyBudget: s.latencyBudget } : {}),
      },
    }));
  return [...own, ...smoke];
}

export function createMeasure(options: MeasureOptions): (targets: VerifyTarget[]) => Promise<CheckOutcome[]> {
  return async (targets) => {
    const probes = targets.flatMap((t) =>
      verificationEndpoints(options.config, options.environment, t).map(async ({ name, endpoint }) => {
        const target = httpTargetFor(endpoint, t.baseUrl);
        if ('error' in target)
          return { name, type: endpoint.type, outcome: 'error' as const, detail: target.error };
        const result = await probeHttp(target, {
          signal: options.signal,
          env: options.env,
          redactor: options.redactor,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        return toCheck(name, endpoint.type, result);
      }),
    );
    return Promise.all(probes);
  };
}
