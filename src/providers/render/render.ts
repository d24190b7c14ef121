/**
 * The Render provider: trigger (or follow) a deploy, watch it, read its logs, roll back (a new deploy from an
 * old build, after which auto-deploy is switched off), list deploys and read/write env vars.
 */
import type { ResolvedService } from '../../config/index.js';
import { UserError } from '../../errors.js';
import { followDeploy } from '../follow-deploy.js';
import {
  collectPages,
  createApiClient,
  createOnce,
  createTokenSource,
  followCommit as followCommitDeploy,
  type HttpTuning,
  readRenderPage,
  sameCommit,
} from '../http/index.js';
import type { LogLine, Provider, ProviderContext, ProviderDeploy } from '../types.js';
import {
  RENDER_API_URL,
  RENDER_MAX_PAGE,
  type RenderDeploy,
  type RenderLogsResponse,
  type RenderService,
  toProviderDeploy,
} from './api.js';

type RenderConfig = Extract<NonNullable<ResolvedService['provider']>, { type: 'render' }>;

export interface RenderProviderOptions extends HttpTuning {
  /** Default https://api.render.com/v1; tests point it at a loopback fake. */
  baseUrl?: string;
  /** In follow mode, how often and how many times to look for the deploy auto-deploy starts on push. */
  followIntervalMs?: number;
  followAttempts?: number;
  /** How often, and how long, `rollback` watches the rollback deploy until it is live. */
  pollIntervalMs?: number;
  rollbackTimeoutMs?: number;
}

export function createRenderProvider(
  service: ResolvedService,
  options: RenderProviderOptions = {},
): Provider {
  const config = service.provider;
  if (config?.type !== 'render') throw new UserError(`service '${service.name}' is not a Render service`);
  const {
    baseUrl,
    followIntervalMs = 5_000,
    followAttempts = 24,
    pollIntervalMs = 5_000,
    rollbackTimeoutMs = 15 * 60_000,
    ...tuning
  } = options;
  const token = createTokenSource(
    config.apiKey,
    'RENDER_API_KEY',
    'render',
    'Render (Account Settings → API Keys)',
  );
  const api = createApiClient({
    provider: 'render',
    baseUrl: baseUrl ?? RENDER_API_URL,
    token: token.read,
    ...tuning,
  });
  let details: RenderService | undefined;
  // This instance's rollback switched auto-deploy off: the caller's own switch-off that follows finds it off, and
  // must still count it as opsbook's (unlock switches back on only what opsbook switched off).
  let offByRollback = false;

  const serviceOf = async (ctx: ProviderContext): Promise<RenderService> => {
    details ??= config.serviceId
      ? await api.request<RenderService>({ path: `/services/${config.serviceId}` }, ctx)
      : await findServiceByName(config, ctx);
    return details;
  };

  const findServiceByName = async (cfg: RenderConfig, ctx: ProviderContext): Promise<RenderService> => {
    if (!cfg.serviceName) {
      throw new UserError(
        `render: service '${service.name}' needs provider.serviceId (srv-...) or provider.serviceName`,
        'copy the service id from the Render dashboard URL',
      );
    }
    const rows = await api.request<{ service: RenderService; cursor: string }[]>(
      { path: '/services', query: { name: cfg.serviceName, limit: 20 } },
      ctx,
    );
    const found = rows.filter((row) => row.service.name === cfg.serviceName);
    if (found.length !== 1 || !found[0]) {
      throw new UserError(
        `render: ${found.length ? 'several services are' : 'no service is'} named '${cfg.serviceName}'`,
        'set provider.serviceId (srv-...) instead of serviceName',
      );
    }
    return found[0].service;
  };
  const serviceIdOf = async (ctx: ProviderContext) => config.serviceId ?? (await serviceOf(ctx)).id;

  const listPage = async (ctx: ProviderContext, limit: number, cursor?: string) => {
    const id = await serviceIdOf(ctx);
    const rows = await api.request<{ deploy: RenderDeploy; cursor: string }[]>(
      { path: `/services/${id}/deploys`, query: { limit, cursor } },
      ctx,
    );
    return readRenderPage(rows, (row) => row.deploy, limit);
  };
  const recentDeploys = async (ctx: ProviderContext) => (await listPage(ctx, 20)).items;

  const followCommit = (commit: string, ctx: ProviderContext): Promise<ProviderDeploy> =>
    followCommitDeploy({
      provider: 'render',
      commit,
      ctx,
      attempts: followAttempts,
      intervalMs: followIntervalMs,
      recent: () => recentDeploys(ctx),
      commitOf: (d) => d.commit?.id,
      toDeploy: toProviderDeploy,
      what: 'deploy',
      where: `on ${service.name}`,
      hint: 'is auto-deploy on for this branch?',
    });

  const provider: Provider = {
    type: 'render',
    service,

    async deploy(request, ctx) {
      const commit = request.commit;
      if (request.follow) {
        if (!commit) throw new UserError('render: following an auto-deploy needs the commit to look for');
        return followCommit(commit, ctx);
      }
      const id = await serviceIdOf(ctx);
      const created = await createOnce({
        what: 'deploy',
        ctx,
        listRecent: () => recentDeploys(ctx),
        idOf: (d) => d.id,
        matches: (d) => d.trigger !== 'rollback' && (!commit || sameCommit(d.commit?.id, commit)),
        create: () =>
          api.request<RenderDeploy>(
            { method: 'POST', path: `/services/${id}/deploys`, body: commit ? { commitId: commit } : {} },
            ctx,
          ),
      });
      return toProviderDeploy(created);
    },

    async getDeploy(deployId, ctx) {
      const id = await serviceIdOf(ctx);
      return toProviderDeploy(
        await api.request<RenderDeploy>({ path: `/services/${id}/deploys/${deployId}` }, ctx),
      );
    },

    async rollback(targetId, ctx) {
      const id = await serviceIdOf(ctx);
      const created = await createOnce({
        what: 'rollback',
        ctx,
        listRecent: () => recentDeploys(ctx),
        idOf: (d) => d.id,
        matches: (d) => d.trigger === 'rollback',
        create: () =>
          api.request<RenderDeploy>(
            { method: 'POST', path: `/services/${id}/rollback`, body: { deployId: targetId } },
            ctx,
          ),
      });
      ctx.log(`render: rollback deploy ${created.id} started from ${targetId}; switching auto-deploy off`);
      try {
        if (await provider.setAutoDeploy?.(false, ctx)) offByRollback = true;
      } catch (error) {
        // The rollback is under way; failing it now would hide that. Say loudly what is left to do by hand.
        ctx.log(
          `render: could not switch auto-deploy off (${error instanceof Error ? error.message : String(error)}); turn it off in the dashboard or the next push re-ships the bad build`,
        );
      }
      // The old build serves only once the new deploy made from it is live.
      return followDeploy(provider, created.id, ctx, {
        intervalMs: pollIntervalMs,
        timeoutMs: rollbackTimeoutMs,
      });
    },

    async listDeploys(ctx, listOptions) {
      const limit = listOptions?.limit ?? 20;
      const pageSize = Math.min(limit, RENDER_MAX_PAGE);
      const deploys = await collectPages((cursor) => listPage(ctx, pageSize, cursor), limit);
      return deploys.map(toProviderDeploy);
    },

    async logs(deployId, ctx, cursor) {
      const svc = await serviceOf(ctx);
      const startTime =
        cursor ??
        (await api.request<RenderDeploy>({ path: `/services/${svc.id}/deploys/${deployId}` }, ctx)).createdAt;
      const page = await api.request<RenderLogsResponse>(
        {
          path: '/logs',
          query: {
            ownerId: svc.ownerId,
            resource: [svc.id],
            type: ['build', 'app'],
            direction: 'forward',
            startTime,
            endTime: new Date(ctx.now()).toISOString(),
            limit: 100,
          },
        },
        ctx,
      );
      const lines: LogLine[] = page.logs.map((log) => ({
        at: log.timestamp,
        source: log.labels?.find((l) => l.name === 'type')?.value === 'build' ? 'build' : 'runtime',
        text: log.message,
      }));
      const last = page.logs.at(-1);
      const next =
        page.hasMore && page.nextStartTime
          ? page.nextStartTime
          : last
            ? new Date(Date.parse(last.timestamp) + 1).toISOString()
            : startTime;
      return { lines, cursor: next };
    },

    async getEnv(ctx) {
      const id = await serviceIdOf(ctx);
      const vars = await collectPages(async (cursor) => {
        const rows = await api.request<{ envVar: { key: string; value: string }; cursor: string }[]>(
          { path: `/services/${id}/env-vars`, query: { limit: RENDER_MAX_PAGE, cursor } },
          ctx,
        );
        return readRenderPage(rows, (row) => row.envVar, RENDER_MAX_PAGE);
      }, Number.POSITIVE_INFINITY);
      return Object.fromEntries(vars.map((v) => [v.key, v.value]));
    },

    async setEnv(values, ctx) {
      const id = await serviceIdOf(ctx);
      // One PUT per key: the collection PUT replaces every variable, which is never what a change means.
      for (const [key, value] of Object.entries(values)) {
        await api.request(
          {
            method: 'PUT',
            path: `/services/${id}/env-vars/${encodeURIComponent(key)}`,
            body: { value },
            idempotent: true,
          },
          ctx,
        );
      }
    },

    async setAutoDeploy(enabled, ctx) {
      const id = await serviceIdOf(ctx);
      // Read afresh, not from the cached details: a rollback (or a person) may have changed it since.
      const now = await api.request<RenderService>({ path: `/services/${id}` }, ctx);
      if ((now.autoDeploy === 'yes') === enabled) {
        const ours = !enabled && offByRollback;
        offByRollback = false;
        return ours;
      }
      offByRollback = false;
      await api.request(
        {
          method: 'PATCH',
          path: `/services/${id}`,
          body: { autoDeploy: enabled ? 'yes' : 'no' },
          idempotent: true,
        },
        ctx,
      );
      return true;
    },

    async cancel(deployId, ctx) {
      const id = await serviceIdOf(ctx);
      await api.request(
        { method: 'POST', path: `/services/${id}/deploys/${deployId}/cancel`, idempotent: true },
        ctx,
      );
    },
  };
  return provider;
}
