/**
 * A loopback Railway GraphQL API (/graphql/v2) for tests. It answers the root fields opsbook uses, by name
 * and variables (returning whole objects: clients read the fields they asked for): deployments that move
 * QUEUED → INITIALIZING → BUILDING → DEPLOYING → SUCCESS | FAILED one step per poll, Relay pagination,
 * rollback as a new deployment with the old image and variables, build/deploy logs, variables with
 * skipDeploys, project-token auth, GraphQL errors in a 200, 429 with Retry-After, and injected faults. It also
 * holds the names the dashboard shows (a project with two environments and two services, looked up with
 * `project(id)` and, for account tokens, `projects`) and the service instance's auto-deploy switch
 * (`serviceInstanceAutoDeployStatus` / `serviceInstanceAutoDeployUpdate`).
 */

import type {
  RailwayDeployment,
  RailwayDeploymentStatus,
  RailwayLog,
} from '../../../src/providers/railway/api.js';
import {
  createFakeClock,
  type FakePlatform,
  type FakeRequest,
  type FakeResponse,
  startFakePlatform,
} from '../fake-platform.js';

export interface FakeRailwayOptions {
  token: string;
  /** `project`: the token comes in Project-Access-Token (scoped to one project and environment); `account`: Bearer. */
  tokenKind?: 'project' | 'account';
  projectId?: string;
  environmentId?: string;
  serviceId?: string;
  /** Names as the dashboard shows them. Default: project kamiyo, environment production, service kamiyo-api. */
  names?: { project?: string; environment?: string; service?: string };
  /** Volume backups by volume instance id, for `volumeInstanceBackupList`. */
  volumeBackups?: Record<string, { id: string; name: string; createdAt: string; expiresAt: string | null }[]>;
}

interface DeploymentRecord extends RailwayDeployment {
  plan: RailwayDeploymentStatus[];
  buildLogs: RailwayLog[];
  deployLogs: RailwayLog[];
  /** The service variables this deployment runs with (a rollback restores them). */
  variables: Record<string, string>;
  rollbackOf?: string;
  failure?: string;
  holdUntil?: number;
}

export interface FakeRailway extends FakePlatform {
  readonly ids: { projectId: string; environmentId: string; serviceId: string };
  readonly deployments: DeploymentRecord[];
  readonly variables: Record<string, string>;
  /** Root fields called, in order, with their variables. */
  readonly calls: { field: string; variables: Record<string, unknown> }[];
  /** Whether a push to the connected branch deploys the service instance. */
  readonly autoDeploy: boolean;
  failNextBuild(message: string): void;
  /** The next deployment stays where it is for this many real milliseconds (or until canceled). */
  slowNextDeploy(ms: number): void;
  pushCommit(sha: string): DeploymentRecord;
  seedSuccessfulDeployment(sha: string): DeploymentRecord;
}

const SUCCESS_PLAN: RailwayDeploymentStatus[] = ['INITIALIZING', 'BUILDING', 'DEPLOYING', 'SUCCESS'];
const ROLLBACK_PLAN: RailwayDeploymentStatus[] = ['DEPLOYING', 'SUCCESS'];

class GraphqlError extends Error {}

export async function startFakeRailway(options: FakeRailwayOptions): Promise<FakeRailway> {
  const clock = createFakeClock();
  const iso = () => new Date(clock()).toISOString();
  const ids = {
    projectId: options.projectId ?? 'proj-0001',
    environmentId: options.environmentId ?? 'env-0001',
    serviceId: options.serviceId ?? 'svc-0001',
  };
  const names = {
    project: options.names?.project ?? 'kamiyo',
    environment: options.names?.environment ?? 'production',
    service: options.names?.service ?? 'kamiyo-api',
  };
  const environments = [
    { id: ids.environmentId, name: names.environment },
    { id: `${ids.environmentId}-staging`, name: 'staging' },
  ];
  const services = [
    { id: ids.serviceId, name: names.service },
    { id: `${ids.serviceId}-worker`, name: 'kamiyo-worker' },
  ];
  const edges = <T>(nodes: T[]) => ({ edges: nodes.map((node) => ({ node })) });
  const projectView = () => ({
    id: ids.projectId,
    name: names.project,
    environments: edges(environments),
    services: edges(services),
  });
  let autoDeploy = true;
  const deployments: DeploymentRecord[] = [];
  let variables: Record<string, string> = {};
  const calls: FakeRailway['calls'] = [];
  let nextId = 1;
  let failNext: string | undefined;
  let slowNext: number | undefined;

  const create = (meta: Record<string, unknown>, plan: RailwayDeploymentStatus[], vars = variables) => {
    const deployment: DeploymentRecord = {
      id: `dep-${String(nextId++).padStart(4, '0')}-aaaa-bbbb`,
      status: 'QUEUED',
      createdAt: iso(),
      staticUrl: 'api-production.up.railway.app',
      meta,
      canRollback: false,
      plan: failNext && plan === SUCCESS_PLAN ? ['BUILDING', 'FAILED'] : [...plan],
      buildLogs: [],
      deployLogs: [],
      variables: { ...vars },
      ...(failNext && plan === SUCCESS_PLAN ? { failure: failNext } : {}),
      ...(slowNext !== undefined && plan === SUCCESS_PLAN ? { holdUntil: Date.now() + slowNext } : {}),
    };
    if (plan === SUCCESS_PLAN) {
      failNext = undefined;
      slowNext = undefined;
    }
    deployments.unshift(deployment);
    return deployment;
  };
  const byCommit = (sha: string) =>
    create({ commitHash: sha, commitMessage: `commit ${sha.slice(0, 7)}`, branch: 'main' }, SUCCESS_PLAN);

  const advance = (d: DeploymentRecord) => {
    if (d.holdUntil !== undefined && Date.now() < d.holdUntil) return;
    const status = d.plan.shift();
    if (!status) return;
    d.status = status;
    d.statusUpdatedAt = iso();
    if (status === 'BUILDING')
      d.buildLogs.push({ timestamp: iso(), message: 'Using Nixpacks', severity: 'info' });
    if (status === 'FAILED')
      d.buildLogs.push({ timestamp: iso(), message: d.failure ?? 'Build failed', severity: 'error' });
    if (status === 'SUCCESS') {
      d.canRollback = true;
      d.deployLogs.push({ timestamp: iso(), message: 'Server listening on :8080', severity: 'info' });
      for (const other of deployments)
        if (other !== d && other.status === 'SUCCESS') other.status = 'REMOVED';
    }
  };

  const view = (d: DeploymentRecord): RailwayDeployment => {
    const {
      plan: _p,
      buildLogs: _b,
      deployLogs: _d,
      variables: _v,
      rollbackOf: _r,
      failure: _f,
      ...rest
    } = d;
    return rest;
  };
  const find = (id: unknown) => {
    const found = deployments.find((d) => d.id === id);
    if (!found) throw new GraphqlError('Deployment not found');
    return found;
  };
  const checkInstance = (vars: Record<string, unknown>) => {
    if (vars.serviceId !== ids.serviceId || vars.environmentId !== ids.environmentId) {
      throw new GraphqlError('Service instance not found');
    }
  };
  const logsSince = (logs: RailwayLog[], since: unknown) =>
    logs.filter((l) => typeof since !== 'string' || l.timestamp >= since);

  const resolvers: Record<string, (vars: Record<string, unknown>) => unknown> = {
    volumeInstanceBackupList: (vars) => {
      const list = options.volumeBackups?.[String(vars.volumeInstanceId)];
      if (!list) throw new GraphqlError('Volume instance not found');
      return list;
    },
    projectToken: () => {
      if (options.tokenKind === 'account') throw new GraphqlError('Not Authorized');
      return { project: { id: ids.projectId }, environment: { id: ids.environmentId } };
    },
    project: (vars) => {
      // A project token sees its own project only.
      if (vars.id !== ids.projectId) throw new GraphqlError('Project not found');
      return projectView();
    },
    projects: () => {
      if (options.tokenKind !== 'account') throw new GraphqlError('Not Authorized');
      return edges([projectView()]);
    },
    serviceInstanceAutoDeployStatus: (vars) => {
      checkInstance(vars);
      return { enabled: autoDeploy, canEnable: true, reason: autoDeploy ? null : 'MANUAL' };
    },
    serviceInstanceAutoDeployUpdate: (vars) => {
      const input = (vars.input ?? {}) as Record<string, unknown>;
      checkInstance(input);
      if (input.projectId !== ids.projectId) throw new GraphqlError('Project not found');
      autoDeploy = input.enabled === true;
      return { enabled: autoDeploy };
    },
    serviceInstanceDeployV2: (vars) => {
      checkInstance(vars);
      return byCommit(
        typeof vars.commitSha === 'string' ? vars.commitSha : (deployments[0]?.meta?.commitHash ?? 'head'),
      ).id;
    },
    deployment: (vars) => {
      const d = find(vars.id);
      advance(d);
      return view(d);
    },
    deployments: (vars) => {
      const input = (vars.input ?? {}) as Record<string, unknown>;
      checkInstance(input);
      const first = typeof vars.first === 'number' ? vars.first : 20;
      const start =
        typeof vars.after === 'string' ? deployments.findIndex((d) => d.id === vars.after) + 1 : 0;
      const page = deployments.slice(start, start + first);
      return {
        edges: page.map((d) => ({ node: view(d), cursor: d.id })),
        pageInfo: { hasNextPage: start + first < deployments.length, endCursor: page.at(-1)?.id ?? null },
      };
    },
    deploymentRollback: (vars) => {
      const target = find(vars.id);
      if (!target.canRollback) throw new GraphqlError('Deployment cannot be rolled back to');
      const d = create({ ...target.meta }, ROLLBACK_PLAN, target.variables);
      d.rollbackOf = target.id;
      variables = { ...target.variables };
      return true;
    },
    deploymentCancel: (vars) => {
      const d = find(vars.id);
      d.plan = [];
      d.status = 'REMOVED';
      return true;
    },
    buildLogs: (vars) => logsSince(find(vars.deploymentId).buildLogs, vars.startDate),
    deploymentLogs: (vars) => logsSince(find(vars.deploymentId).deployLogs, vars.startDate),
    variables: (vars) => {
      checkInstance(vars);
      if (vars.projectId !== ids.projectId) throw new GraphqlError('Project not found');
      return variables;
    },
    variableCollectionUpsert: (vars) => {
      const input = (vars.input ?? {}) as {
        variables?: Record<string, string>;
        replace?: boolean;
        skipDeploys?: boolean;
      };
      checkInstance(input as Record<string, unknown>);
      variables = input.replace ? { ...input.variables } : { ...variables, ...input.variables };
      // Railway redeploys on a variable change unless told not to ([unverified inference] from skipDeploys).
      if (!input.skipDeploys) create({ ...(deployments[0]?.meta ?? {}) }, SUCCESS_PLAN);
      return true;
    },
  };

  const route = (req: FakeRequest): FakeResponse => {
    if (req.method !== 'POST' || req.path !== '/graphql/v2')
      return { status: 404, body: { message: 'Not Found' } };
    const body = (req.body ?? {}) as { query?: string; variables?: Record<string, unknown> };
    const field = req.operation;
    const resolve = field ? resolvers[field] : undefined;
    if (!field || !resolve) {
      return {
        status: 400,
        body: { errors: [{ message: `Cannot query field "${field}" on type "Query".` }] },
      };
    }
    const vars = body.variables ?? {};
    calls.push({ field, variables: vars });
    try {
      return { status: 200, body: { data: { [field]: resolve(vars) } } };
    } catch (error) {
      if (!(error instanceof GraphqlError)) throw error;
      return { status: 200, body: { data: null, errors: [{ message: error.message, path: [field] }] } };
    }
  };

  const platform = await startFakePlatform({
    route,
    operationOf: (req) => rootField((req.body as { query?: unknown } | undefined)?.query),
    authorize: (req) => {
      const given =
        options.tokenKind === 'account'
          ? req.headers.authorization === `Bearer ${options.token}`
          : req.headers['project-access-token'] === options.token;
      return given
        ? undefined
        : { status: 200, body: { data: null, errors: [{ message: 'Not Authorized' }] } };
    },
    rateLimited: (seconds) => ({
      status: 429,
      body: { errors: [{ message: 'Rate limit exceeded' }] },
      headers: { 'retry-after': String(seconds), 'x-ratelimit-remaining': '0' },
    }),
  });

  return {
    get url() {
      return `${platform.url}/graphql/v2`;
    },
    requests: platform.requests,
    inject: platform.inject,
    close: platform.close,
    ids,
    deployments,
    get variables() {
      return variables;
    },
    calls,
    get autoDeploy() {
      return autoDeploy;
    },
    failNextBuild(message) {
      failNext = message;
    },
    slowNextDeploy(ms) {
      slowNext = ms;
    },
    pushCommit: byCommit,
    seedSuccessfulDeployment(sha) {
      const d = byCommit(sha);
      while (d.plan.length) advance(d);
      return d;
    },
  };
}

/** The first field of the operation's selection set: `query X($a: T) { field(...) {...} }` → `field`. */
function rootField(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  return /^\s*(?:(?:query|mutation)\b[^{]*)?\{\s*([A-Za-z_]\w*)/.exec(query)?.[1];
}
