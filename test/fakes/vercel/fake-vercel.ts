/**
 * A loopback Vercel (api.vercel.com) for tests: one project, deployments that move QUEUED → BUILDING →
 * READY | ERROR one step per poll, `until` pagination, build events, asynchronous rollback as an alias swap,
 * env vars with upsert, `teamId` scoping, the 403 and 429 shapes, and injected faults.
 */

import type {
  VercelAliasRequest,
  VercelDeployment,
  VercelEnvVar,
  VercelEvent,
  VercelReadyState,
} from '../../../src/providers/vercel/api.js';
import {
  createFakeClock,
  type FakePlatform,
  type FakeRequest,
  type FakeResponse,
  startFakePlatform,
} from '../fake-platform.js';
import { routeEnv } from './fake-vercel-env.js';

export interface FakeVercelOptions {
  token: string;
  projectId?: string;
  projectName?: string;
  /** When set, every request must carry `teamId` (or `slug`) for it. */
  teamId?: string;
}

interface DeploymentRecord extends VercelDeployment {
  id: string;
  plan: VercelReadyState[];
  events: VercelEvent[];
  everProduction: boolean;
  failure?: string;
  holdUntil?: number;
}

export interface FakeVercel extends FakePlatform {
  readonly deployments: DeploymentRecord[];
  readonly env: VercelEnvVar[];
  /** The deployment the production domains point at. */
  readonly productionDeploymentId: string | undefined;
  failNextBuild(message: string): void;
  /** The next deployment stays where it is for this many real milliseconds (or until canceled). */
  slowNextDeploy(ms: number): void;
  /** A push to the production branch: the git integration creates a deployment. */
  pushCommit(sha: string): DeploymentRecord;
  /** A deployment that already went READY and was promoted (history, rollback targets). */
  seedProductionDeployment(sha: string): DeploymentRecord;
}

const SUCCESS_PLAN: VercelReadyState[] = ['BUILDING', 'READY'];

export async function startFakeVercel(options: FakeVercelOptions): Promise<FakeVercel> {
  const clock = createFakeClock();
  const project = { id: options.projectId ?? 'prj_fake0001', name: options.projectName ?? 'web' };
  const deployments: DeploymentRecord[] = [];
  const env: VercelEnvVar[] = [];
  let production: string | undefined;
  let aliasJob: (VercelAliasRequest & { steps: VercelAliasRequest['jobStatus'][] }) | undefined;
  let nextId = 1;
  let failNext: string | undefined;
  let slowNext: number | undefined;

  const event = (deployment: DeploymentRecord, type: string, text: string) => {
    const created = clock();
    deployment.events.push({ type, created, payload: { text, date: created } });
  };

  const createDeployment = (sha: string, source: string, ref = 'main'): DeploymentRecord => {
    const n = nextId++;
    const deployment: DeploymentRecord = {
      id: `dpl_${String(n).padStart(6, '0')}`,
      name: project.name,
      url: `${project.name}-${n}.vercel.app`,
      readyState: 'QUEUED',
      target: 'production',
      createdAt: clock(),
      source,
      meta: { githubCommitSha: sha, githubCommitRef: ref },
      gitSource: { type: 'github', repoId: 4242, ref, sha },
      plan: failNext ? ['BUILDING', 'ERROR'] : [...SUCCESS_PLAN],
      events: [],
      everProduction: false,
      aliasAssigned: null,
      ...(failNext ? { failure: failNext } : {}),
      ...(slowNext !== undefined ? { holdUntil: Date.now() + slowNext } : {}),
    };
    failNext = undefined;
    slowNext = undefined;
    deployments.unshift(deployment);
    return deployment;
  };

  const advance = (deployment: DeploymentRecord) => {
    if (deployment.holdUntil !== undefined && Date.now() < deployment.holdUntil) return;
    const state = deployment.plan.shift();
    if (!state) return;
    deployment.readyState = state;
    if (state === 'BUILDING') {
      event(deployment, 'command', 'Running "npm run build"');
      event(
        deployment,
        'stdout',
        `Cloning github.com/acme/web (Branch: main, Commit: ${deployment.meta?.githubCommitSha})`,
      );
    }
    if (state === 'ERROR') {
      event(deployment, 'stderr', deployment.failure ?? 'Build failed');
      deployment.errorCode = 'BUILD_FAILED';
      deployment.errorMessage = deployment.failure ?? 'Build failed';
      deployment.ready = clock();
    }
    if (state === 'READY') {
      event(deployment, 'stdout', 'Build Completed');
      deployment.ready = clock();
      deployment.readySubstate = 'PROMOTED';
      deployment.aliasAssigned = deployment.ready;
      deployment.everProduction = true;
      production = deployment.id;
    }
  };

  const summary = (d: DeploymentRecord) => ({
    uid: d.id,
    name: d.name,
    url: d.url,
    created: d.createdAt,
    createdAt: d.createdAt,
    state: d.readyState,
    readyState: d.readyState,
    readySubstate: d.readySubstate,
    target: d.target,
    source: d.source,
    meta: d.meta,
    ready: d.ready,
    isRollbackCandidate: d.everProduction && d.readyState === 'READY',
  });

  const full = (d: DeploymentRecord): VercelDeployment => {
    const { plan: _p, events: _e, everProduction: _x, failure: _f, holdUntil: _h, ...rest } = d;
    return rest;
  };

  const find = (id: string | undefined) => deployments.find((d) => d.id === id || d.url === id);
  const isProject = (idOrName: string | null | undefined) =>
    idOrName === project.id || idOrName === project.name;

  const route = (req: FakeRequest): FakeResponse => {
    const { method, path, query } = req;
    if (method === 'GET' && (path === '/v6/deployments' || path === '/v7/deployments')) {
      if (!isProject(query.get('projectId')))
        return ok({ deployments: [], pagination: { count: 0, next: null } });
      const limit = Number(query.get('limit') ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return error(400, 'bad_request', 'invalid limit');
      const until = query.has('until') ? Number(query.get('until')) : Number.POSITIVE_INFINITY;
      const target = query.get('target');
      const matching = deployments.filter(
        (d) => (d.createdAt ?? 0) < until && (!target || d.target === target),
      );
      const page = matching.slice(0, limit);
      const more = matching.length > limit;
      return ok({
        deployments: page.map(summary),
        pagination: { count: page.length, next: more ? (page.at(-1)?.createdAt ?? null) : null, prev: null },
      });
    }
    if (method === 'POST' && path === '/v13/deployments') return createFromRequest(req.body);
    const one = /^\/v13\/deployments\/([^/]+)$/.exec(path);
    if (one && method === 'GET') {
      const deployment = find(decodeURIComponent(one[1] ?? ''));
      if (!deployment) return error(404, 'not_found', 'Deployment not found');
      advance(deployment);
      return ok(full(deployment));
    }
    const events = /^\/v3\/deployments\/([^/]+)\/events$/.exec(path);
    if (events && method === 'GET') {
      const deployment = find(events[1]);
      if (!deployment) return error(404, 'not_found', 'Deployment not found');
      const since = Number(query.get('since') ?? 0);
      return ok(deployment.events.filter((e) => e.created >= since));
    }
    const cancel = /^\/v12\/deployments\/([^/]+)\/cancel$/.exec(path);
    if (cancel && method === 'PATCH') {
      const deployment = find(cancel[1]);
      if (!deployment) return error(404, 'not_found', 'Deployment not found');
      deployment.plan = [];
      deployment.readyState = 'CANCELED';
      return ok(full(deployment));
    }
    const rollback = /^\/v1\/projects\/([^/]+)\/rollback\/([^/]+)$/.exec(path);
    if (rollback && method === 'POST') {
      if (!isProject(decodeURIComponent(rollback[1] ?? '')))
        return error(404, 'not_found', 'Project not found');
      const target = find(rollback[2]);
      if (!target) return error(404, 'not_found', 'Deployment not found');
      if (target.readyState !== 'READY' || !target.everProduction) {
        return error(400, 'bad_request', 'Only a deployment that served production can be rolled back to');
      }
      aliasJob = {
        fromDeploymentId: production,
        toDeploymentId: target.id,
        jobStatus: 'pending',
        requestedAt: clock(),
        type: 'rollback',
        steps: ['in-progress', 'succeeded'],
      };
      return { status: 201 };
    }
    const projectPath = /^\/v9\/projects\/([^/]+)$/.exec(path);
    if (projectPath && method === 'GET') {
      if (!isProject(decodeURIComponent(projectPath[1] ?? '')))
        return error(404, 'not_found', 'Project not found');
      if (aliasJob) {
        const step = aliasJob.steps.shift();
        if (step) aliasJob.jobStatus = step;
        if (step === 'succeeded') production = aliasJob.toDeploymentId;
      }
      const { steps: _s, ...lastAliasRequest } = aliasJob ?? { steps: [] };
      return ok({
        ...project,
        lastAliasRequest: aliasJob ? lastAliasRequest : null,
        targets: production ? { production: { id: production } } : {},
      });
    }
    const envPath = /^\/v10\/projects\/([^/]+)\/env$/.exec(path);
    if (envPath) {
      if (!isProject(decodeURIComponent(envPath[1] ?? '')))
        return error(404, 'not_found', 'Project not found');
      const response = routeEnv(env, req);
      if (response) return response;
    }
    return error(404, 'not_found', `no route for ${method} ${path}`);
  };

  const createFromRequest = (raw: unknown): FakeResponse => {
    const body = (raw ?? {}) as {
      name?: string;
      target?: string;
      gitSource?: { sha?: string; ref?: string };
      deploymentId?: string;
    };
    if (!body.name) return error(400, 'bad_request', 'name is required');
    if (body.deploymentId) {
      const from = find(body.deploymentId);
      if (!from) return error(404, 'not_found', 'Deployment to redeploy not found');
      return ok(full(createDeployment(from.meta?.githubCommitSha ?? '', 'redeploy')));
    }
    if (!body.gitSource?.sha || !body.gitSource.ref)
      return error(400, 'bad_request', 'gitSource needs ref and sha');
    return ok(full(createDeployment(body.gitSource.sha, 'api-trigger-git-deploy', body.gitSource.ref)));
  };

  const platform = await startFakePlatform({
    route,
    authorize: (req) => {
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        return error(403, 'forbidden', 'Not authorized', { invalidToken: true });
      }
      if (options.teamId && req.query.get('teamId') !== options.teamId) {
        return error(403, 'forbidden', "You don't have permission to access this resource (missing teamId)");
      }
      return undefined;
    },
    rateLimited: (seconds) => ({
      status: 429,
      body: { error: { code: 'rate_limited', message: 'Rate limit exceeded' } },
      headers: {
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil((Date.now() + seconds * 1000) / 1000)),
      },
    }),
  });

  return {
    get url() {
      return platform.url;
    },
    requests: platform.requests,
    inject: platform.inject,
    close: platform.close,
    deployments,
    env,
    get productionDeploymentId() {
      return production;
    },
    failNextBuild(message) {
      failNext = message;
    },
    slowNextDeploy(ms) {
      slowNext = ms;
    },
    pushCommit: (sha) => createDeployment(sha, 'git'),
    seedProductionDeployment(sha) {
      const deployment = createDeployment(sha, 'git');
      while (deployment.plan.length) advance(deployment);
      return deployment;
    },
  };
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

function error(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): FakeResponse {
  return { status, body: { error: { code, message, ...extra } } };
}
