/**
 * The Heroku provider over the Platform API: a deploy is a build from a source tarball (or, with `follow`,
 * the build a `git push` started); the release it makes runs the release phase (migrations) and goes live
 * when that succeeds. Rollback re-releases an older release (`POST /releases {release}`), which Heroku does
 * without a build. Env is the app's config vars.
 */
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import { followDeploy } from '../follow-deploy.js';
import {
  createApiClient,
  createOnce,
  createTokenSource,
  followCommit as followCommitDeploy,
  type HttpTuning,
  sameCommit,
} from '../http/index.js';
import type { LogLine, Provider, ProviderContext, ProviderDeploy } from '../types.js';
import {
  fromBuild,
  fromRelease,
  HEROKU_ACCEPT,
  HEROKU_API_URL,
  type HerokuBuild,
  type HerokuDyno,
  type HerokuRelease,
} from './api.js';

export interface HerokuProviderOptions extends HttpTuning {
  baseUrl?: string;
  followIntervalMs?: number;
  followAttempts?: number;
  pollIntervalMs?: number;
  rollbackTimeoutMs?: number;
  /** How long one read of a build's output stream may take (it stays open while the build runs). */
  streamTimeoutMs?: number;
}

const newest = (max: number, key = 'created_at') => ({ range: `${key} ..; order=desc, max=${max}` });

export function createHerokuProvider(
  service: ResolvedService,
  options: HerokuProviderOptions = {},
): Provider {
  const config = service.provider;
  if (config?.type !== 'heroku') throw new UserError(`service '${service.name}' is not a Heroku service`);
  const {
    baseUrl,
    followIntervalMs = 5_000,
    followAttempts = 24,
    pollIntervalMs = 5_000,
    rollbackTimeoutMs = 15 * 60_000,
    streamTimeoutMs = 10_000,
    ...tuning
  } = options;
  const token = createTokenSource(
    config.token,
    'HEROKU_API_KEY',
    'heroku',
    'Heroku (`heroku authorizations:create`)',
  );
  const api = createApiClient({
    provider: 'heroku',
    baseUrl: `${baseUrl ?? HEROKU_API_URL}/apps/${encodeURIComponent(config.app)}`,
    token: token.read,
    authHeaders: (t) => ({ authorization: `Bearer ${t}`, accept: HEROKU_ACCEPT }),
    ...tuning,
  });
  /** Which ids are builds and which releases, so a poll asks the right endpoint. */
  const kinds = new Map<string, 'build' | 'release'>();

  const builds = (ctx: ProviderContext, max = 20) =>
    api.request<HerokuBuild[]>({ path: '/builds', headers: newest(max) }, ctx);
  const releases = (ctx: ProviderContext, max = 20) =>
    api.request<HerokuRelease[]>({ path: '/releases', headers: newest(max, 'version') }, ctx);
  const release = (id: string, ctx: ProviderContext) =>
    api.request<HerokuRelease>({ path: `/releases/${id}` }, ctx);

  const viewBuild = async (build: HerokuBuild, ctx: ProviderContext) => {
    kinds.set(build.id, 'build');
    return fromBuild(build, build.release ? await release(build.release.id, ctx) : undefined);
  };

  /** A current release whose dynos all crashed is not serving, though Heroku calls the release succeeded. */
  const withDynos = async (deploy: ProviderDeploy, ctx: ProviderContext): Promise<ProviderDeploy> => {
    const dynos = await api.request<HerokuDyno[]>({ path: '/dynos' }, ctx);
    const crashed = dynos.filter((d) => d.state === 'crashed');
    if (!crashed.length || crashed.length < dynos.length) return deploy;
    return {
      ...deploy,
      state: 'failed',
      reason: `every dyno crashed (${crashed.map((d) => d.name).join(', ')}); heroku logs --dyno ${crashed[0]!.name} says why`,
    };
  };

  const followCommit = (commit: string, ctx: ProviderContext): Promise<ProviderDeploy> =>
    followCommitDeploy({
      provider: 'heroku',
      commit,
      ctx,
      attempts: followAttempts,
      intervalMs: followIntervalMs,
      recent: () => builds(ctx),
      commitOf: (b) => b.source_blob.version ?? undefined,
      toDeploy: (b) => viewBuild(b, ctx),
      what: 'build',
      where: `on ${config.app}`,
      hint: 'was it pushed to Heroku?',
    });

  const provider: Provider = {
    type: 'heroku',
    service,

    async deploy(request, ctx) {
      const commit = request.commit;
      if (request.follow || !config.source) {
        if (!commit) {
          throw new UserError(
            `heroku: ${service.name} has no provider.source, so opsbook follows the build a push starts, and this deploy has no commit`,
            'deploy from a git checkout, or set provider.source to a tarball URL with {commit}',
          );
        }
        return followCommit(commit, ctx);
      }
      if (config.source.includes('{commit}') && !commit) {
        throw new UserError(`heroku: provider.source names {commit}, and this deploy has no commit`);
      }
      const url = config.source.replaceAll('{commit}', commit ?? '');
      const build = await createOnce({
        what: 'build',
        ctx,
        listRecent: () => builds(ctx),
        idOf: (b) => b.id,
        matches: (b) => !commit || sameCommit(b.source_blob.version ?? undefined, commit),
        create: () =>
          api.request<HerokuBuild>(
            { method: 'POST', path: '/builds', body: { source_blob: { url, version: commit ?? null } } },
            ctx,
          ),
      });
      return viewBuild(build, ctx);
    },

    async getDeploy(id, ctx) {
      let deploy: ProviderDeploy | undefined;
      if (kinds.get(id) !== 'release') {
        try {
          deploy = await viewBuild(await api.request<HerokuBuild>({ path: `/builds/${id}` }, ctx), ctx);
        } catch (error) {
          if (!(error instanceof ProviderError && error.status === 404) || kinds.get(id) === 'build')
            throw error;
        }
      }
      if (!deploy) {
        deploy = fromRelease(await release(id, ctx));
        kinds.set(id, 'release');
      }
      return deploy.state === 'live' ? withDynos(deploy, ctx) : deploy;
    },

    async rollback(targetId, ctx) {
      const target = await provider.getDeploy(targetId, ctx);
      const releaseId =
        kinds.get(targetId) === 'build'
          ? (await api.request<HerokuBuild>({ path: `/builds/${targetId}` }, ctx)).release?.id
          : targetId;
      if (!releaseId)
        throw new UserError(
          `heroku: deploy ${targetId} never made a release, so there is nothing to go back to`,
        );
      const created = await api.request<HerokuRelease>(
        { method: 'POST', path: '/releases', body: { release: releaseId } },
        ctx,
      );
      kinds.set(created.id, 'release');
      ctx.log(
        `heroku: re-released ${target.version ?? targetId} as v${created.version}; add-ons and their config are not rolled back`,
      );
      return followDeploy(provider, created.id, ctx, {
        intervalMs: pollIntervalMs,
        timeoutMs: rollbackTimeoutMs,
      });
    },

    async listDeploys(ctx, listOptions) {
      const limit = listOptions?.limit ?? 20;
      const [buildList, releaseList] = await Promise.all([builds(ctx, limit), releases(ctx, limit)]);
      const byRelease = new Map(buildList.filter((b) => b.release).map((b) => [b.release!.id, b]));
      const deploys: ProviderDeploy[] = releaseList.map((r) => {
        const build = byRelease.get(r.id);
        kinds.set(build?.id ?? r.id, build ? 'build' : 'release');
        return build ? fromBuild(build, r) : fromRelease(r);
      });
      for (const b of buildList) if (!b.release) deploys.push(fromBuild(b));
      deploys.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      return deploys.slice(0, limit);
    },

    async logs(id, ctx, cursor) {
      if (!kinds.has(id)) await provider.getDeploy(id, ctx);
      const kind = kinds.get(id);
      const owner =
        kind === 'build'
          ? await api.request<HerokuBuild>({ path: `/builds/${id}` }, ctx)
          : await release(id, ctx);
      const url = owner.output_stream_url;
      const from = Number(cursor ?? 0);
      if (!url) return { lines: [], cursor: String(from) };
      const text = await readStream(url, streamTimeoutMs, ctx);
      // The stream URL answers 404 until the platform has output for it (heroku/cli retries too).
      if (text === undefined) return { lines: [], cursor: String(from) };
      const all = text.split(/\r?\n/).filter((l) => l.trim() !== '');
      const at = new Date(ctx.now()).toISOString();
      const lines: LogLine[] = all
        .slice(from)
        .map((t) => ({ at, source: kind === 'build' ? 'build' : 'deploy', text: t }));
      return { lines, cursor: String(all.length) };
    },

    async serviceLogs(ctx, cursor) {
      // A log session is a one-off URL to the app's recent lines (Cedar: `lines`, no tail); the cursor is the
      // time of the last line handed out, so each read gives only newer ones.
      const session = await api.request<{ logplex_url: string }>(
        { method: 'POST', path: '/log-sessions', body: { lines: 1500, tail: false }, idempotent: true },
        ctx,
      );
      const response = await ctx.fetch(session.logplex_url, { signal: ctx.signal });
      if (!response.ok) {
        throw new ProviderError(
          'heroku',
          `heroku: the log session answered HTTP ${response.status}`,
          response.status,
        );
      }
      const after = cursor ? Date.parse(cursor) : Number.NEGATIVE_INFINITY;
      const lines: LogLine[] = [];
      for (const text of (await response.text()).split(/\r?\n/)) {
        const stamp = /^(\S+)\s/.exec(text)?.[1];
        const at = stamp && !Number.isNaN(Date.parse(stamp)) ? new Date(stamp).toISOString() : undefined;
        if (!at || Date.parse(at) <= after) continue;
        lines.push({ at, source: 'runtime', text });
      }
      return { lines, cursor: lines.at(-1)?.at ?? cursor };
    },

    async getEnv(ctx) {
      return api.request<Record<string, string>>({ path: '/config-vars' }, ctx);
    },

    async setEnv(values, ctx) {
      await api.request({ method: 'PATCH', path: '/config-vars', body: values, idempotent: true }, ctx);
    },
  };
  return provider;
}

/**
 * What an output stream sent within `ms`, in whole lines; undefined when it has nothing yet (a 404 or other refusal,
 * or no answer in time). Heroku keeps a build's stream open until the build ends: read to its end, the watch waited
 * on it as long as the build ran, past the deploy timeout and without a line of the build's log.
 */
async function readStream(url: string, ms: number, ctx: ProviderContext): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(ms);
  const cut = (error: unknown) => {
    if (ctx.signal.aborted || !timeout.aborted) throw error;
  };
  let response: Response;
  try {
    response = await ctx.fetch(url, { signal: AbortSignal.any([ctx.signal, timeout]) });
  } catch (error) {
    cut(error);
    return undefined;
  }
  if (!response.ok || !response.body) return undefined;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    cut(error);
    // Only whole lines: the rest comes again, complete, with the next read of the stream.
    return text.slice(0, text.lastIndexOf('\n') + 1);
  }
}
