/**
 * The Netlify provider over the deploys API: a deploy is a build of the site's production branch
 * (`POST /sites/{id}/builds`), live once it is the site's published deploy; rollback restores an older
 * deploy; the auto-deploy switch locks or unlocks the published deploy (which stops or starts auto
 * publishing); env is the account env API's production value.
 */
import type { ResolvedService } from '../../config/index.js';
import { UserError } from '../../errors.js';
import {
  createApiClient,
  createOnce,
  createTokenSource,
  followCommit,
  type HttpTuning,
  sameCommit,
} from '../http/index.js';
import type { Provider, ProviderContext } from '../types.js';
import {
  NETLIFY_API_URL,
  type NetlifyBuild,
  type NetlifyDeploy,
  type NetlifyEnvVar,
  type NetlifySite,
  toProviderDeploy,
} from './api.js';

export interface NetlifyProviderOptions extends HttpTuning {
  baseUrl?: string;
  /** In follow mode, how often and how many times to look for the deploy a push starts. */
  followIntervalMs?: number;
  followAttempts?: number;
}

export function createNetlifyProvider(
  service: ResolvedService,
  options: NetlifyProviderOptions = {},
): Provider {
  const config = service.provider;
  if (config?.type !== 'netlify') throw new UserError(`service '${service.name}' is not a Netlify site`);
  const { baseUrl, followIntervalMs = 5_000, followAttempts = 24, ...tuning } = options;
  const token = createTokenSource(
    config.token,
    'NETLIFY_AUTH_TOKEN',
    'netlify',
    'Netlify (User settings → Applications → Personal access tokens)',
  );
  const api = createApiClient({
    provider: 'netlify',
    baseUrl: baseUrl ?? NETLIFY_API_URL,
    token: token.read,
    ...tuning,
  });
  const siteId = encodeURIComponent(config.site);

  const site = (ctx: ProviderContext) => api.request<NetlifySite>({ path: `/sites/${siteId}` }, ctx);
  const deploys = (ctx: ProviderContext, perPage = 20) =>
    api.request<NetlifyDeploy[]>(
      { path: `/sites/${siteId}/deploys`, query: { per_page: perPage, page: 1 } },
      ctx,
    );
  const production = (list: NetlifyDeploy[]) => list.filter((d) => !d.context || d.context === 'production');
  const envQuery = { site_id: config.site };

  const provider: Provider = {
    type: 'netlify',
    service,

    async deploy(request, ctx) {
      if (request.follow) {
        const commit = request.commit;
        if (!commit) throw new UserError('netlify: following an auto-deploy needs the commit to look for');
        // Netlify starts the deploy a moment after the push: look for it a while, as for the other platforms.
        return followCommit({
          provider: 'netlify',
          commit,
          ctx,
          attempts: followAttempts,
          intervalMs: followIntervalMs,
          recent: async () => production(await deploys(ctx)),
          commitOf: (d) => d.commit_ref ?? undefined,
          toDeploy: async (d) => toProviderDeploy(d, await site(ctx)),
          what: 'deploy',
          where: `on site ${config.site}`,
          hint: 'is the site linked to the repository?',
        });
      }
      const build = await createOnce({
        what: 'build',
        ctx,
        listRecent: () => deploys(ctx),
        idOf: (d) => d.id,
        matches: (d) => !d.context || d.context === 'production',
        create: async () => {
          const b = await api.request<NetlifyBuild>(
            { method: 'POST', path: `/sites/${siteId}/builds`, body: {} },
            ctx,
          );
          return api.request<NetlifyDeploy>({ path: `/deploys/${b.deploy_id}` }, ctx);
        },
      });
      if (request.commit && build.commit_ref && !sameCommit(build.commit_ref, request.commit)) {
        ctx.log(
          `netlify: the build is of ${build.commit_ref.slice(0, 12)}, the head of the production branch, not ${request.commit.slice(0, 12)}`,
        );
      }
      return toProviderDeploy(build, await site(ctx));
    },

    async getDeploy(id, ctx) {
      const deploy = await api.request<NetlifyDeploy>({ path: `/deploys/${encodeURIComponent(id)}` }, ctx);
      return toProviderDeploy(deploy, await site(ctx));
    },

    async rollback(targetId, ctx) {
      await api.request<NetlifyDeploy>(
        {
          method: 'POST',
          path: `/sites/${siteId}/deploys/${encodeURIComponent(targetId)}/restore`,
          idempotent: true,
        },
        ctx,
      );
      // Restoring publishes the old deploy at once; read the site back rather than trust the answer.
      return provider.getDeploy(targetId, ctx);
    },

    async listDeploys(ctx, listOptions) {
      const limit = listOptions?.limit ?? 20;
      const [list, current] = await Promise.all([deploys(ctx, Math.min(limit * 2, 100)), site(ctx)]);
      return production(list)
        .slice(0, limit)
        .map((d) => toProviderDeploy(d, current));
    },

    async cancel(id, ctx) {
      await api.request(
        { method: 'POST', path: `/deploys/${encodeURIComponent(id)}/cancel`, idempotent: true },
        ctx,
      );
    },

    async logs(id, ctx, cursor) {
      const entries = await api.request<{ ts?: string; message?: string; log?: string; section?: string }[]>(
        { path: `/deploys/${encodeURIComponent(id)}/log` },
        ctx,
      );
      const from = Number(cursor ?? 0);
      const lines = entries.slice(from).map((e) => ({
        at: e.ts ?? new Date(ctx.now()).toISOString(),
        source: 'build' as const,
        text: e.message ?? e.log ?? '',
      }));
      return { lines, cursor: String(entries.length) };
    },

    async getEnv(ctx) {
      const { account_id } = await site(ctx);
      const vars = await api.request<NetlifyEnvVar[]>(
        { path: `/accounts/${account_id}/env`, query: envQuery },
        ctx,
      );
      const pick = (v: NetlifyEnvVar) =>
        (v.values.find((x) => x.context === 'production') ?? v.values.find((x) => x.context === 'all'))
          ?.value;
      return Object.fromEntries(vars.flatMap((v) => (pick(v) === undefined ? [] : [[v.key, pick(v)!]])));
    },

    async setEnv(values, ctx) {
      const { account_id } = await site(ctx);
      const existing = new Set(
        (
          await api.request<NetlifyEnvVar[]>({ path: `/accounts/${account_id}/env`, query: envQuery }, ctx)
        ).map((v) => v.key),
      );
      for (const [key, value] of Object.entries(values)) {
        if (existing.has(key)) {
          await api.request(
            {
              method: 'PATCH',
              path: `/accounts/${account_id}/env/${encodeURIComponent(key)}`,
              query: envQuery,
              body: { context: 'production', value },
              idempotent: true,
            },
            ctx,
          );
        } else {
          await api.request(
            {
              method: 'POST',
              path: `/accounts/${account_id}/env`,
              query: envQuery,
              body: [{ key, values: [{ context: 'production', value }] }],
            },
            ctx,
          );
        }
      }
    },

    async setAutoDeploy(enabled, ctx) {
      const published = (await site(ctx)).published_deploy;
      // Already so (or nothing published to lock): unlock must not unlock what opsbook did not lock.
      if (!published || Boolean(published.locked) === !enabled) return false;
      await api.request(
        { method: 'POST', path: `/deploys/${published.id}/${enabled ? 'unlock' : 'lock'}`, idempotent: true },
        ctx,
      );
      return true;
    },
  };
  return provider;
}
