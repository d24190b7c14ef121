/** `checkHealth`: probe every service of an environment once, with bounded concurrency, and derive the model. */
import {
  closestMatch,
  type ResolvedService,
  registerContractSecrets,
  resolveEnvironment,
  type StackConfig,
} from '../config/index.js';
import { UserError } from '../errors.js';
import type { ProbeContext, ProbeResult } from '../probes/index.js';
import type { Redactor } from '../redact/index.js';
import { deriveHealth, type HealthState, ownHealth } from './derive.js';
import { mapWithLimit } from './map-limit.js';
import { DEFAULT_HEALTH_TYPES, type HealthType, type PlannedProbe, planService } from './plan.js';

export interface CheckHealthOptions {
  config: StackConfig;
  environment: string;
  /** Where secret references and connection URLs (DATABASE_URL, REDIS_URL, ...) are read. */
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  fetch?: typeof fetch;
  now?: () => number;
  redactor?: Redactor;
  /** Only this service and what it depends on; the result's state is then this service's. */
  service?: string;
  /** Probes in flight at once. Default 8. */
  concurrency?: number;
  /** Health endpoint types to call. Default liveness, readiness, deep, ping. */
  types?: readonly HealthType[];
}

export interface ProbeReport {
  name: string;
  kind: PlannedProbe['kind'];
  target: string;
  result: ProbeResult;
}

export interface ServiceHealth {
  service: string;
  kind: string;
  state: HealthState;
  /** Why it is not healthy (or not known), most direct first. */
  reasons: string[];
  probes: ProbeReport[];
  dependencies: { service: string; critical: boolean; state: HealthState }[];
}

export interface HealthReport {
  stack: string;
  environment: string;
  /** The stack's state (or the `service` asked for and its dependencies). */
  state: HealthState;
  reasons: string[];
  services: ServiceHealth[];
  checkedAt: string;
  durationMs: number;
  service?: string;
}

/** The service and, transitively, everything it depends on. */
function closure(name: string, all: readonly ResolvedService[]): ResolvedService[] {
  const keep = new Set<string>();
  const visit = (n: string) => {
    if (keep.has(n)) return;
    keep.add(n);
    for (const d of all.find((s) => s.name === n)?.dependencies ?? []) visit(d.service);
  };
  visit(name);
  return all.filter((s) => keep.has(s.name));
}

export async function checkHealth(options: CheckHealthOptions): Promise<HealthReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const all = resolveEnvironment(options.config, options.environment);
  if (options.service && !all.some((s) => s.name === options.service)) {
    const guess = closestMatch(
      options.service,
      all.map((s) => s.name),
    );
    throw new UserError(
      `no service '${options.service}' in ${options.environment}`,
      guess ? `did you mean '${guess}'?` : `services: ${all.map((s) => s.name).join(', ')}`,
    );
  }
  const services = options.service ? closure(options.service, all) : all;
  if (options.redactor) registerContractSecrets(options.config, options.env, options.redactor);

  const types = options.types ?? DEFAULT_HEALTH_TYPES;
  const plans = services.map((s) =>
    planService(s, all, options.config, options.environment, options.env, types),
  );
  const ctx: ProbeContext = {
    signal: options.signal,
    env: options.env,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  };
  const jobs = plans.flatMap((plan) => plan.probes.map((probe) => ({ plan, probe })));
  const results = await mapWithLimit(jobs, options.concurrency ?? 8, async (job) => ({
    ...job,
    result: await job.probe.run(ctx),
  }));

  const reports = new Map<string, ProbeReport[]>(plans.map((p) => [p.service.name, []]));
  for (const { plan, probe, result } of results)
    reports
      .get(plan.service.name)
      ?.push({ name: probe.name, kind: probe.kind, target: probe.target, result });
  const model = deriveHealth(
    plans.map((p) => ({
      service: p.service.name,
      own: ownHealth(reports.get(p.service.name) ?? [], p.notes),
      dependencies: p.service.dependencies,
    })),
  );
  const stateOf = (name: string): HealthState => model.services[name]?.state ?? 'unknown';
  return {
    stack: options.config.name,
    environment: options.environment,
    state: options.service ? stateOf(options.service) : model.stack.state,
    reasons: options.service ? (model.services[options.service]?.reasons ?? []) : model.stack.reasons,
    services: plans.map(({ service }) => ({
      service: service.name,
      kind: service.kind,
      state: stateOf(service.name),
      reasons: model.services[service.name]?.reasons ?? [],
      probes: reports.get(service.name) ?? [],
      dependencies: service.dependencies.map((d) => ({ ...d, state: stateOf(d.service) })),
    })),
    checkedAt: new Date(started).toISOString(),
    durationMs: Math.round(now() - started),
    ...(options.service ? { service: options.service } : {}),
  };
}
