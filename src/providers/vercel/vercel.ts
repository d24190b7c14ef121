/**
 * The Vercel provider: create (or follow) a production deployment, watch it, read its build events, roll back
 * by pointing the production alias at an older deployment (no new deployment), list, and read/write env vars.
 */
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import {
  collectPages,
  createApiClient,
  createOnce,
  createTokenSource,
  followCommit as followCommitDeploy,
  type HttpTuning,
  readVercelPage,
  sameCommit,
} from '../http/index.js';
import type { LogLine, Provider, ProviderContext, ProviderDeploy } from '../types.js';
import {
  commitOf,
  deploymentId,
  toProviderDeploy,
  VERCEL_API_URL,
  VERCEL_MAX_PAGE,
  type VercelDeployment,
  type VercelEnvVar,
  type VercelEvent,
  type VercelGitSource,
  type VercelProject,
  vercelTarget,
} from './api.js';

export interface VercelProviderOptions extends HttpTuning {
  /** Default https://api.vercel.com; tests point it at a loopback fake. */
  baseUrl?: string;
  followIntervalMs?: number;
  followAttempts?: number;
  /** A rollback is asynchronous: how often and how long to wait for the production alias to move. */
  aliasPollIntervalMs?: number;
  aliasPollAttempts?: number;
}

const LOG_EVENTS = new Set(['command', 'stdout', 'stderr', 'fatal']);

export function createVercelProvider(
  service: ResolvedService,
  options: VercelProviderOptions = {},
): Provider {
  const config = service.provider;
  if (config?.type !== 'vercel') throw new UserError(`service '${service.name}' is not a Vercel service`);
  const {
    baseUrl,
    followIntervalMs = 5_000,
    followAttempts = 24,
    aliasPollIntervalMs = 2_000,
    aliasPollAttempts = 60,
    ...tuning
  } = options;
  const token = createTokenSource(
    config.token,
    'VERCEL_TOKEN',
    'vercel',
    'Vercel (Account Settings → Tokens)',
  );
  const api = createApiClient({
    provider: 'vercel',
    baseUrl: baseUrl ?? VERCEL_API_URL,
    token: token.read,
    ...tuning,
  });
  const project = encodeURIComponent(config.project);
  // Team-owned projects need the team on every call: an id (team_...) or its slug.
  const team = config.team
    ? config.team.startsWith('team_')
      ? { teamId: config.team }
      : { slug: config.team }
    : {};

  const listPage = async (ctx: ProviderContext, limit: number, until?: string) => {
    const body = await api.request<{
      deployments: VercelDeployment[];
      pagination?: { next?: number | null };
    }>(
      {
        path: '/v6/deployments',
        query: { projectId: config.project, target: 'production', limit, until, ...team },
      },
      ctx,
    );
    return readVercelPage(body.deployments, body.pagination);
  };
  const recent = async (ctx: ProviderContext) => (await listPage(ctx, 20)).items;
  const getRaw = (id: string, ctx: ProviderContext) =>
    api.request<VercelDeployment>({ path: `/v13/deployments/${encodeURIComponent(id)}`, query: team }, ctx);
  const getProject = (ctx: ProviderContext) =>
    api.request<VercelProject>({ path: `/v9/projects/${project}`, query: team }, ctx);
  const servingId = async (ctx: ProviderContext) =>
    (await getProject(ctx)).targets?.production?.id ?? undefined;

  const createBody = async (commit: string | undefined, ctx: ProviderContext) => {
    const latest = (await recent(ctx))[0];
    if (!latest) {
      throw new UserError(
        `vercel: project ${config.project} has no production deployment to take the git source from`,
        'deploy once from Vercel (a push to the production branch), or use follow mode',
      );
    }
    const template = await getRaw(deploymentId(latest), ctx);
    const base = { name: template.name ?? config.project, project: config.project, target: 'production' };
    if (!commit) return { ...base, deploymentId: deploymentId(template) };
    if (!template.gitSource) {
      throw new UserError(
        `vercel: the latest deployment of ${config.project} has no git source to deploy a commit from`,
      );
    }
    return { ...base, gitSource: { ...pickGitSource(template.gitSource), sha: commit } };
  };

  const followCommit = (commit: string, ctx: ProviderContext): Promise<ProviderDeploy> =>
    followCommitDeploy({
      provider: 'vercel',
      commit,
      ctx,
      attempts: followAttempts,
      intervalMs: followIntervalMs,
      recent: () => recent(ctx),
      commitOf: commitOf,
      toDeploy: toProviderDeploy,
      what: 'production deployment',
      where: `in ${config.project}`,
      hint: 'is the git integration connected?',
    });

  return {
    type: 'vercel',
    service,

    async deploy(request, ctx) {
      const commit = request.commit;
      if (request.follow) {
        if (!commit) throw new UserError('vercel: following a git deployment needs the commit to look for');
        return followCommit(commit, ctx);
      }
      const body = await createBody(commit, ctx);
      const created = await createOnce({
        what: 'deployment',
        ctx,
        listRecent: () => recent(ctx),
        idOf: deploymentId,
        matches: (d) => !commit || sameCommit(commitOf(d), commit),
        create: () =>
          api.request<VercelDeployment>({ method: 'POST', path: '/v13/deployments', query: team, body }, ctx),
      });
      return toProviderDeploy(created);
    },

    async getDeploy(id, ctx) {
      const deployment = await getRaw(id, ctx);
      const ready = (deployment.readyState ?? deployment.state) === 'READY';
      return toProviderDeploy(deployment, ready ? await servingId(ctx) : undefined);
    },

    async rollback(targetId, ctx) {
      // An alias swap, not a new deployment: sending it twice points production at the same deployment twice.
      await api.request(
        {
          method: 'POST',
          path: `/v1/projects/${project}/rollback/${encodeURIComponent(targetId)}`,
          query: team,
          idempotent: true,
        },
        ctx,
      );
      ctx.log(`vercel: rollback to ${targetId} requested; waiting for the production alias to move`);
      for (let attempt = 1; attempt <= aliasPollAttempts; attempt++) {
        const { lastAliasRequest: job } = await api.request<VercelProject>(
          { path: `/v9/projects/${project}`, query: team },
          ctx,
        );
        if (job?.toDeploymentId === targetId) {
          if (job.jobStatus === 'succeeded') return toProviderDeploy(await getRaw(targetId, ctx));
          if (job.jobStatus === 'failed' || job.jobStatus === 'skipped') {
            throw new ProviderError('vercel', `vercel: the rollback to ${targetId} ${job.jobStatus}`);
          }
        }
        if (attempt < aliasPollAttempts) await ctx.sleep(aliasPollIntervalMs);
      }
      throw new ProviderError(
        'vercel',
        `vercel: the production alias did not move to ${targetId} after ${aliasPollAttempts} checks`,
      );
    },

    async listDeploys(ctx, listOptions) {
      const limit = listOptions?.limit ?? 20;
      const pageSize = Math.min(limit, VERCEL_MAX_PAGE);
      const deployments = await collectPages((until) => listPage(ctx, pageSize, until), limit);
      // List items carry no aliasAssigned: a READY production deployment other than the serving one was replaced.
      const serving = await servingId(ctx);
      return deployments.map((d) =>
        toProviderDeploy({ ...d, aliasAssigned: d.aliasAssigned ?? true }, serving),
      );
    },

    async logs(id, ctx, cursor) {
      const events = await api.request<VercelEvent[]>(
        {
          path: `/v3/deployments/${encodeURIComponent(id)}/events`,
          query: { direction: 'forward', limit: -1, since: cursor ? Number(cursor) + 1 : undefined, ...team },
        },
        ctx,
      );
      const lines: LogLine[] = (events ?? [])
        .filter((e) => LOG_EVENTS.has(e.type))
        .map((e) => ({
          at: new Date(e.created).toISOString(),
          source: 'build',
          text: e.payload?.text ?? e.text ?? '',
        }));
      const last = events?.at(-1);
      return { lines, cursor: last ? String(last.created) : cursor };
    },

    async getEnv(ctx, options) {
      const { envs } = await api.request<{ envs: VercelEnvVar[] }>(
        { path: `/v10/projects/${project}/env`, query: { decrypt: 'true', ...team } },
        ctx,
      );
      // Sensitive variables never come back decrypted; they are listed with an empty value.
      return valuesFor(envs, vercelTarget(options?.environment ?? 'production'), options?.branch);
    },

    async setEnv(values, ctx) {
      const body = Object.entries(values).map(([key, value]) => ({
        key,
        value,
        type: 'encrypted',
        target: ['production'],
      }));
      await api.request(
        {
          method: 'POST',
          path: `/v10/projects/${project}/env`,
          query: { upsert: 'true', ...team },
          body,
          idempotent: true,
        },
        ctx,
      );
    },

    async cancel(id, ctx) {
      await api.request(
        {
          method: 'PATCH',
          path: `/v12/deployments/${encodeURIComponent(id)}/cancel`,
          query: team,
          idempotent: true,
        },
        ctx,
      );
    },
  };
}

const targetsOf = (env: VercelEnvVar) => (Array.isArray(env.target) ? env.target : [env.target]);

/** The values a deployment of `target` gets: for preview, a branch's own value over the all-branches one. */
function valuesFor(envs: VercelEnvVar[], target: string, branch?: string): Record<string, string> {
  const values: Record<string, string> = {};
  const mine = envs.filter((e) => targetsOf(e).includes(target));
  for (const e of mine) if (!e.gitBranch) values[e.key] = e.value ?? '';
  if (target === 'preview' && branch)
    for (const e of mine) if (e.gitBranch === branch) values[e.key] = e.value ?? '';
  return values;
}

/** The fields of a deployment's git source that a create request takes back (the GET adds others). */
function pickGitSource(source: VercelGitSource): VercelGitSource {
  const keys = ['type', 'ref', 'repoId', 'org', 'repo', 'projectId', 'owner', 'slug'] as const;
  return Object.fromEntries(
    keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]),
  ) as unknown as VercelGitSource;
}
