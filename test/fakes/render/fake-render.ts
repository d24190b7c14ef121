/**
 * A loopback Render (api.render.com/v1) for tests: services, deploys that move through Render's statuses one
 * step per poll, cursor pagination, rollback as a new deploy, auto-deploy on push, env vars, logs, the 401 and
 * 429 shapes, and injected faults.
 */

import type {
  RenderDeploy,
  RenderDeployStatus,
  RenderLog,
  RenderService,
} from '../../../src/providers/render/api.js';
import {
  createFakeClock,
  type FakePlatform,
  type FakeRequest,
  type FakeResponse,
  startFakePlatform,
} from '../fake-platform.js';

export interface FakeRenderOptions {
  token: string;
  serviceId?: string;
  serviceName?: string;
  autoDeploy?: boolean;
}

interface DeployRecord extends RenderDeploy {
  /** The statuses still to come, one per poll of the deploy. */
  plan: RenderDeployStatus[];
  failureLog?: string;
  /** Real time (ms) before which the deploy does not move on. */
  holdUntil?: number;
}

export interface FakeRender extends FakePlatform {
  readonly service: RenderService;
  readonly deploys: DeployRecord[];
  readonly envVars: Map<string, string>;
  /** The next build fails with this log line. */
  failNextBuild(logLine: string): void;
  /** The next deploy stays where it is for this many real milliseconds (or until canceled). */
  slowNextDeploy(ms: number): void;
  /** A push to the branch: with auto-deploy on, Render starts a deploy (trigger `new_commit`). */
  pushCommit(sha: string): DeployRecord | undefined;
  /** A deploy that already went live, for history (rollback targets, pagination). */
  seedLiveDeploy(sha: string): DeployRecord;
  /** A line the running app writes to its log (what `GET /v1/logs` with type=app returns). */
  appLog(message: string): void;
}

const SUCCESS_PLAN: RenderDeployStatus[] = ['build_in_progress', 'update_in_progress', 'live'];
const ROLLBACK_PLAN: RenderDeployStatus[] = ['update_in_progress', 'live'];
const TERMINAL = new Set<RenderDeployStatus>([
  'live',
  'deactivated',
  'build_failed',
  'update_failed',
  'pre_deploy_failed',
  'canceled',
]);

export async function startFakeRender(options: FakeRenderOptions): Promise<FakeRender> {
  const clock = createFakeClock();
  const iso = () => new Date(clock()).toISOString();
  const service: RenderService = {
    id: options.serviceId ?? 'srv-fake0001',
    name: options.serviceName ?? 'api',
    ownerId: 'tea-fake0001',
    autoDeploy: options.autoDeploy === false ? 'no' : 'yes',
  };
  const deploys: DeployRecord[] = [];
  const envVars = new Map<string, string>();
  const logs: RenderLog[] = [];
  let nextId = 1;
  let failNext: string | undefined;
  let slowNext: number | undefined;

  const log = (message: string, type: 'build' | 'app') =>
    logs.push({
      id: `log-${logs.length + 1}`,
      timestamp: iso(),
      message,
      labels: [
        { name: 'resource', value: service.id },
        { name: 'type', value: type },
        { name: 'level', value: 'info' },
      ],
    });

  const createDeploy = (trigger: string, sha: string, plan: RenderDeployStatus[]): DeployRecord => {
    const deploy: DeployRecord = {
      id: `dep-${String(nextId++).padStart(6, '0')}`,
      status: 'created',
      trigger,
      commit: { id: sha, message: `commit ${sha.slice(0, 7)}` },
      createdAt: iso(),
      plan: [...plan],
    };
    if (slowNext !== undefined && trigger !== 'rollback') {
      deploy.holdUntil = Date.now() + slowNext;
      slowNext = undefined;
    }
    if (failNext && trigger !== 'rollback') {
      deploy.plan = ['build_in_progress', 'build_failed'];
      deploy.failureLog = failNext;
      failNext = undefined;
    }
    deploys.unshift(deploy);
    return deploy;
  };

  const advance = (deploy: DeployRecord) => {
    if (deploy.holdUntil !== undefined && Date.now() < deploy.holdUntil) return;
    const status = deploy.plan.shift();
    if (!status) return;
    deploy.status = status;
    deploy.updatedAt = iso();
    if (status === 'build_in_progress') log(`==> Cloning from repository at ${deploy.commit?.id}`, 'build');
    if (status === 'build_failed') log(deploy.failureLog ?? '==> Build failed', 'build');
    if (status === 'live') {
      for (const other of deploys)
        if (other !== deploy && other.status === 'live') other.status = 'deactivated';
      log('==> Your service is live', 'app');
    }
    if (TERMINAL.has(status)) deploy.finishedAt = iso();
  };

  const page = <T>(items: T[], query: URLSearchParams, key: string, cursorOf: (item: T) => string) => {
    const limit = Number(query.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return error(400, 'invalid_input', 'limit must be between 1 and 100');
    }
    const cursor = query.get('cursor');
    const start = cursor ? items.findIndex((item) => cursorOf(item) === cursor) + 1 : 0;
    const rows = items.slice(start, start + limit).map((item) => ({ [key]: item, cursor: cursorOf(item) }));
    return ok(rows);
  };

  const route = (req: FakeRequest): FakeResponse => {
    const { method, path, query } = req;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === '/v1/services') {
      const named = query.get('name');
      return page(named && named !== service.name ? [] : [service], query, 'service', (s) => s.id);
    }
    if (method === 'GET' && path === '/v1/logs') return listLogs(query);
    const match = /^\/v1\/services\/([^/]+)(\/.*)?$/.exec(path);
    if (!match || match[1] !== service.id) return error(404, 'not_found', 'service not found');
    const rest = match[2] ?? '';

    if (rest === '' && method === 'GET') return ok(service);
    if (rest === '' && method === 'PATCH') {
      if (body.autoDeploy !== undefined) {
        if (body.autoDeploy !== 'yes' && body.autoDeploy !== 'no') {
          return error(400, 'invalid_input', 'autoDeploy must be yes or no');
        }
        service.autoDeploy = body.autoDeploy;
      }
      return ok(service);
    }
    if (rest === '/deploys' && method === 'GET') return page(deploys.map(view), query, 'deploy', (d) => d.id);
    if (rest === '/deploys' && method === 'POST') {
      const sha =
        typeof body.commitId === 'string' ? body.commitId : (deploys[0]?.commit?.id ?? 'head0000000');
      return { status: 201, body: view(createDeploy('api', sha, SUCCESS_PLAN)) };
    }
    const one = /^\/deploys\/([^/]+)(\/cancel)?$/.exec(rest);
    if (one) {
      const deploy = deploys.find((d) => d.id === one[1]);
      if (!deploy) return error(404, 'not_found', 'deploy not found');
      if (one[2] && method === 'POST') {
        if (TERMINAL.has(deploy.status)) return error(409, 'conflict', 'deploy already finished');
        deploy.plan = [];
        deploy.status = 'canceled';
        deploy.finishedAt = iso();
        return ok(view(deploy));
      }
      if (method === 'GET') {
        advance(deploy);
        return ok(view(deploy));
      }
    }
    if (rest === '/rollback' && method === 'POST') {
      const target = deploys.find((d) => d.id === body.deployId);
      if (!target) return error(404, 'not_found', 'deploy not found');
      if (target.status !== 'live' && target.status !== 'deactivated') {
        return error(400, 'invalid_input', 'can only roll back to a deploy that was live');
      }
      return { status: 201, body: view(createDeploy('rollback', target.commit?.id ?? '', ROLLBACK_PLAN)) };
    }
    if (rest === '/env-vars' && method === 'GET') {
      const vars = [...envVars].map(([key, value]) => ({ key, value }));
      return page(vars, query, 'envVar', (v) => v.key);
    }
    const envKey = /^\/env-vars\/([^/]+)$/.exec(rest)?.[1];
    if (envKey && method === 'PUT') {
      if (typeof body.value !== 'string') return error(400, 'invalid_input', 'value is required');
      envVars.set(decodeURIComponent(envKey), body.value);
      return ok({ key: decodeURIComponent(envKey), value: body.value });
    }
    return error(404, 'not_found', `no route for ${method} ${path}`);
  };

  const listLogs = (query: URLSearchParams): FakeResponse => {
    if (query.get('ownerId') !== service.ownerId) return error(400, 'invalid_input', 'ownerId is required');
    const resources = query.getAll('resource');
    const types = query.getAll('type');
    const start = Date.parse(query.get('startTime') ?? '1970-01-01T00:00:00Z');
    const limit = Number(query.get('limit') ?? 20);
    const matching = logs.filter(
      (l) =>
        Date.parse(l.timestamp) >= start &&
        l.labels?.some((x) => x.name === 'resource' && resources.includes(x.value)) &&
        (types.length === 0 || l.labels?.some((x) => x.name === 'type' && types.includes(x.value))),
    );
    const pageLogs = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    const last = pageLogs.at(-1);
    return ok({
      logs: pageLogs,
      hasMore,
      ...(hasMore && last
        ? {
            nextStartTime: new Date(Date.parse(last.timestamp) + 1).toISOString(),
            nextEndTime: query.get('endTime'),
          }
        : {}),
    });
  };

  const platform = await startFakePlatform({
    route,
    authorize: (req) =>
      req.headers.authorization === `Bearer ${options.token}`
        ? undefined
        : error(401, 'unauthorized', 'Unauthorized'),
    rateLimited: (seconds) => ({
      status: 429,
      body: { id: 'rate_limit_exceeded', message: 'Rate limit exceeded' },
      headers: {
        'retry-after': String(seconds),
        'ratelimit-limit': '100',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(seconds),
      },
    }),
  });

  return {
    get url() {
      return `${platform.url}/v1`;
    },
    requests: platform.requests,
    inject: platform.inject,
    close: platform.close,
    service,
    deploys,
    envVars,
    failNextBuild(line) {
      failNext = line;
    },
    slowNextDeploy(ms) {
      slowNext = ms;
    },
    pushCommit(sha) {
      return service.autoDeploy === 'yes' ? createDeploy('new_commit', sha, SUCCESS_PLAN) : undefined;
    },
    seedLiveDeploy(sha) {
      const deploy = createDeploy('new_commit', sha, SUCCESS_PLAN);
      while (deploy.plan.length) advance(deploy);
      return deploy;
    },
    appLog(message) {
      log(message, 'app');
    },
  };
}

function view(deploy: DeployRecord): RenderDeploy {
  const { plan: _plan, failureLog: _failureLog, holdUntil: _holdUntil, ...rest } = deploy;
  return { ...rest };
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

function error(status: number, id: string, message: string): FakeResponse {
  return { status, body: { id, message } };
}
