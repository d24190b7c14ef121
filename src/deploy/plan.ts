/** The deploy plan: which services ship, in which groups and order, and what the run will do around them. */
import {
  cannotFail,
  closestMatch,
  DOUBLE_DEPLOY_FIX,
  deploysOnPush,
  doubleDeployed,
  type ResolvedService,
  resolveEnvironment,
  type StackConfig,
} from '../config/index.js';
import { UserError } from '../errors.js';
import { verificationEndpoints } from '../verify/index.js';

export const DEPLOYABLE_KINDS = ['web', 'worker', 'cron', 'static'] as const;

export interface DeployPlan {
  stack: string;
  environment: string;
  commit: string | null;
  /** Services per group; groups run one after another, the services of a group in parallel. */
  groups: string[][];
  gates: string[];
  migrate: 'before' | 'after' | 'none';
  follow: boolean;
  verify: {
    bakeMs: number;
    intervalMs: number;
    count: number;
    failureLimit: number;
    inconclusiveLimit: number;
    /** Services verification has nothing to measure for (no health endpoint, no smoke request). */
    unmeasured: string[];
    /** Set when the window could not fail or measures nothing: the run will not call it a success. */
    warning?: string;
  };
  rollback: { automatic: boolean; on: string[]; lockAfter: boolean; disableAutoDeploy: boolean };
  protected: boolean;
  /**
   * Announcements: the channels and events, and how long after the start announcement production may change
   * (announcements.leadTime, or --lead-time); 0 when the start is not announced anywhere.
   */
  announce?: { channels: string[]; events: string[]; leadTimeMs: number };
}

function isDeployable(s: ResolvedService): boolean {
  return (
    (DEPLOYABLE_KINDS as readonly string[]).includes(s.kind) &&
    s.provider !== undefined &&
    s.provider.type !== 'none'
  );
}

/** Dependencies first: each layer holds the services whose deployable dependencies are all in earlier layers. */
export function layerByDependencies(services: ResolvedService[]): string[][] {
  const names = new Set(services.map((s) => s.name));
  const remaining = new Map(
    services.map((s) => [s.name, s.dependencies.map((d) => d.service).filter((d) => names.has(d))]),
  );
  const layers: string[][] = [];
  const placed = new Set<string>();
  while (remaining.size) {
    const layer = [...remaining].filter(([, deps]) => deps.every((d) => placed.has(d))).map(([n]) => n);
    if (!layer.length)
      throw new UserError(`services depend on each other in a cycle: ${[...remaining.keys()].join(', ')}`);
    for (const n of layer) {
      placed.add(n);
      remaining.delete(n);
    }
    layers.push(layer.sort());
  }
  return layers;
}

export interface PlanDeployOptions {
  config: StackConfig;
  environment: string;
  services?: string[];
  commit?: string | null;
  follow?: boolean;
  skipGates?: boolean;
  /** Overrides announcements.leadTime (`--lead-time 0` for a fix that cannot wait). */
  leadTimeMs?: number;
  parse: (d: string) => number;
}

export function planDeploy(options: PlanDeployOptions): DeployPlan {
  const { config, environment } = options;
  const all = resolveEnvironment(config, environment);
  const deployable = all.filter(isDeployable);
  for (const name of options.services ?? []) {
    const svc = all.find((s) => s.name === name);
    if (!svc) {
      const guess = closestMatch(
        name,
        all.map((s) => s.name),
      );
      throw new UserError(
        `unknown service '${name}'`,
        guess ? `did you mean '${guess}'?` : `services: ${all.map((s) => s.name).join(', ')}`,
      );
    }
    if (!isDeployable(svc))
      throw new UserError(
        `${name} is not deployable here`,
        `give it a provider (services.${name}.provider) and a kind of web, worker, cron or static`,
      );
  }
  const chosen = options.services?.length
    ? deployable.filter((s) => options.services!.includes(s.name))
    : deployable;
  if (!chosen.length)
    throw new UserError(
      `nothing to deploy in ${environment}`,
      'add a provider to a web, worker, cron or static service',
    );
  const chosenNames = new Set(chosen.map((s) => s.name));
  // Vercel's git integration already ships this push: running `vercel --prod` as well would ship it twice.
  const twice = doubleDeployed(config, environment).filter((n) => chosenNames.has(n));
  if (twice.length)
    throw new UserError(
      `${twice.join(', ')} would be deployed twice: ${environment} deploys on push through Vercel's git integration, and the command provider runs the Vercel CLI`,
      DOUBLE_DEPLOY_FIX,
      'deploy/double-deploy',
    );
  let groups: string[][];
  if (config.deploy.order) {
    groups = config.deploy.order
      .map((g) => (Array.isArray(g) ? g : [g]).filter((n) => chosenNames.has(n)))
      .filter((g) => g.length);
    const listed = new Set(groups.flat());
    const rest = chosen.filter((s) => !listed.has(s.name));
    if (rest.length) groups.push(...layerByDependencies(rest));
  } else groups = layerByDependencies(chosen);
  const v = config.deploy.verify;
  const bakeMs = options.parse(v.bake);
  const intervalMs = options.parse(v.interval);
  const count = Math.max(1, Math.round(bakeMs / Math.max(intervalMs, 1)));
  const unmeasured = chosen
    .filter((s) => verificationEndpoints(config, environment, { service: s }).length === 0)
    .map((s) => s.name);
  const warning =
    unmeasured.length === chosen.length
      ? 'nothing to measure: no service in this deploy has a health endpoint or smoke request, so verification cannot pass'
      : count <= v.failureLimit
        ? cannotFail(count, v.failureLimit)
        : undefined;
  return {
    stack: config.name,
    environment,
    commit: options.commit ?? null,
    groups,
    gates: options.skipGates
      ? []
      : config.gates.filter((g) => !g.environments || g.environments.includes(environment)).map((g) => g.id),
    migrate: config.migrations ? config.deploy.migrate : 'none',
    follow: options.follow ?? deploysOnPush(config, environment),
    verify: {
      bakeMs,
      intervalMs,
      count,
      failureLimit: v.failureLimit,
      inconclusiveLimit: v.inconclusiveLimit,
      unmeasured,
      ...(warning ? { warning } : {}),
    },
    rollback: { ...config.deploy.rollback },
    protected: config.environments[environment]?.protected ?? false,
    ...(config.announcements ? { announce: announcePlan(config.announcements, options) } : {}),
  };
}

function announcePlan(
  a: NonNullable<StackConfig['announcements']>,
  options: PlanDeployOptions,
): NonNullable<DeployPlan['announce']> {
  const startAnnounced = a.on.includes('start') && a.channels.length > 0;
  const lead = options.leadTimeMs ?? (a.leadTime ? options.parse(a.leadTime) : 0);
  return { channels: [...a.channels], events: [...a.on], leadTimeMs: startAnnounced ? lead : 0 };
}
