/**
 * The Fly.io provider over the Machines API: a deploy is a release (recorded in Fly's release history, as
 * flyctl does) whose image is rolled onto the app's Machines one at a time, each waiting for its checks;
 * a failing Machine is put back on its previous image. Rollback redeploys an older release's image (Fly has
 * no rollback call). Logs come from Fly's log API; env from the Machine config and the secret names.
 */
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import { followDeploy } from '../follow-deploy.js';
import { createApiClient, createTokenSource, type HttpTuning, requestGraphql } from '../http/index.js';
import type { Provider, ProviderContext, ProviderDeploy } from '../types.js';
import {
  FLY_API_URL,
  FLY_MACHINES_URL,
  type FlyLogsPage,
  type FlyMachine,
  type FlyRelease,
  RELEASE_FIELDS,
  toProviderDeploy,
} from './api.js';
import { type MachinesApi, revertRollout, stepRollout } from './rollout.js';

export interface FlyProviderOptions extends HttpTuning {
  /** One base URL for the Machines API, GraphQL and logs (a loopback fake); default: Fly's own hosts. */
  baseUrl?: string;
  pollIntervalMs?: number;
  rollbackTimeoutMs?: number;
  /** In follow mode, how often and how many times to look for the release CI's `fly deploy` records. */
  followIntervalMs?: number;
  followAttempts?: number;
}

export function createFlyProvider(service: ResolvedService, options: FlyProviderOptions = {}): Provider {
  const config = service.provider;
  if (config?.type !== 'fly') throw new UserError(`service '${service.name}' is not a Fly service`);
  const {
    baseUrl,
    pollIntervalMs = 5_000,
    rollbackTimeoutMs = 15 * 60_000,
    followIntervalMs = 5_000,
    followAttempts = 24,
    ...tuning
  } = options;
  const app = config.app;
  const token = createTokenSource(
    config.token,
    'FLY_API_TOKEN',
    'fly',
    'Fly (`fly tokens create deploy -a APP`)',
  );
  const client = (url: string) =>
    createApiClient({ provider: 'fly', baseUrl: url, token: token.read, ...tuning });
  const machinesApi = client(`${baseUrl ?? FLY_MACHINES_URL}/v1/apps/${encodeURIComponent(app)}`);
  const graphql = client(`${baseUrl ?? FLY_API_URL}/graphql`);
  const logsApi = client(`${baseUrl ?? FLY_API_URL}/api/v1/apps/${encodeURIComponent(app)}`);

  const machines: MachinesApi = {
    list: (ctx) => machinesApi.request<FlyMachine[]>({ path: '/machines' }, ctx),
    async update(machine, machineConfig, ctx) {
      await machinesApi.request(
        {
          method: 'POST',
          path: `/machines/${machine.id}`,
          body: {
            config: machineConfig,
            ...(machine.instance_id ? { current_version: machine.instance_id } : {}),
          },
          // The whole config is sent: repeating it lands on the same Machine state.
          idempotent: true,
        },
        ctx,
      );
    },
  };

  const releases = async (ctx: ProviderContext, limit = 25): Promise<FlyRelease[]> => {
    const data = await requestGraphql<{ app: { releasesUnprocessed: { nodes: FlyRelease[] } } }>(
      graphql,
      {
        operation: 'releases',
        query: `query releases($appName: String!, $limit: Int!) { app(name: $appName) { releasesUnprocessed(first: $limit) { nodes { ${RELEASE_FIELDS} } } } }`,
        variables: { appName: app, limit },
      },
      ctx,
    );
    return [...data.app.releasesUnprocessed.nodes].sort((a, b) => b.version - a.version);
  };
  /** The release that serves: the newest one that completed. */
  const currentOf = (list: FlyRelease[]) => list.find((r) => r.status === 'complete')?.id;

  const findRelease = async (id: string, ctx: ProviderContext) => {
    const list = await releases(ctx);
    const release = list.find((r) => r.id === id);
    if (!release) throw new UserError(`fly: app ${app} has no release ${id} among its last ${list.length}`);
    return { release, list };
  };

  const createRelease = async (image: string, reason: string, ctx: ProviderContext) => {
    const data = await requestGraphql<{ createRelease: { release: FlyRelease } }>(
      graphql,
      {
        operation: 'createRelease',
        query: `mutation createRelease($input: CreateReleaseInput!) { createRelease(input: $input) { release { ${RELEASE_FIELDS} } } }`,
        variables: { input: { appId: app, image, platformVersion: 'machines', strategy: 'ROLLING', reason } },
      },
      ctx,
    );
    return data.createRelease.release;
  };

  const setStatus = (releaseId: string, status: string, ctx: ProviderContext) =>
    requestGraphql(
      graphql,
      {
        operation: 'updateRelease',
        query:
          'mutation updateRelease($input: UpdateReleaseInput!) { updateRelease(input: $input) { release { id } } }',
        variables: { input: { releaseId, status } },
        idempotent: true,
      },
      ctx,
    );

  const start = async (image: string, reason: string, ctx: ProviderContext): Promise<ProviderDeploy> => {
    const release = await createRelease(image, reason, ctx);
    await stepRollout(machines, image, release.id, ctx);
    return toProviderDeploy({ ...release, status: 'running' }, undefined);
  };

  const imageFor = (commit: string | undefined, version: string | undefined) => {
    const template = config.image ?? `registry.fly.io/${app}:{commit}`;
    if (template.includes('{commit}') && !commit) {
      throw new UserError(
        `fly: the image for ${service.name} names {commit}, and this deploy has no commit`,
        'deploy from a git checkout, or set provider.image to a tag without {commit}',
      );
    }
    return template.replaceAll('{commit}', commit ?? '').replaceAll('{version}', version ?? '');
  };

  const provider: Provider = {
    type: 'fly',
    service,

    async deploy(request, ctx) {
      const image = imageFor(request.commit, request.version);
      if (request.follow) {
        // `fly deploy` in CI records the release, maybe a while after the push: look for the one of this image.
        for (let attempt = 1; ; attempt++) {
          const found = (await releases(ctx)).find((r) => r.imageRef === image);
          if (found) return provider.getDeploy(found.id, ctx);
          if (attempt >= followAttempts)
            throw new ProviderError(
              'fly',
              `fly: no release of ${image} on app ${app} after ${followAttempts} checks; did CI run fly deploy?`,
            );
          await ctx.sleep(followIntervalMs);
        }
      }
      return start(image, 'deploy', ctx);
    },

    async getDeploy(id, ctx) {
      const { release, list } = await findRelease(id, ctx);
      if (release.status !== 'running') return toProviderDeploy(release, currentOf(list));
      const step = await stepRollout(machines, release.imageRef, release.id, ctx);
      if (step.kind === 'failed') {
        const reverted = await revertRollout(machines, release.imageRef, ctx);
        await setStatus(release.id, 'failed', ctx);
        const back = reverted.length ? `; ${reverted.length} machine(s) put back on the previous image` : '';
        return {
          ...toProviderDeploy({ ...release, status: 'failed' }, undefined),
          reason: `${step.reason}${back}`,
        };
      }
      if (step.kind === 'done') {
        await setStatus(release.id, 'complete', ctx);
        return toProviderDeploy({ ...release, status: 'complete' }, release.id);
      }
      return toProviderDeploy(release, undefined);
    },

    async rollback(targetId, ctx) {
      const { release } = await findRelease(targetId, ctx);
      ctx.log(
        `fly: redeploying ${release.imageRef} (release v${release.version}); config and secrets stay as they are now`,
      );
      const started = await start(release.imageRef, 'rollback', ctx);
      return followDeploy(provider, started.id, ctx, {
        intervalMs: pollIntervalMs,
        timeoutMs: rollbackTimeoutMs,
      });
    },

    async listDeploys(ctx, listOptions) {
      const list = await releases(ctx, Math.min(listOptions?.limit ?? 20, 50));
      const current = currentOf(list);
      return list.slice(0, listOptions?.limit ?? 20).map((r) => toProviderDeploy(r, current));
    },

    async cancel(id, ctx) {
      const { release } = await findRelease(id, ctx);
      if (release.status !== 'running') return;
      await revertRollout(machines, release.imageRef, ctx);
      await setStatus(release.id, 'interrupted', ctx);
    },

    // Fly's log API is app-wide: a deploy's lines and the service's are the same stream.
    serviceLogs: (ctx, cursor) => provider.logs!('', ctx, cursor),

    async logs(_id, ctx, cursor) {
      const page = await logsApi.request<FlyLogsPage>({ path: '/logs', query: { next_token: cursor } }, ctx);
      return {
        lines: page.data.map((entry) => ({
          at: entry.attributes.timestamp,
          source: 'runtime' as const,
          text: entry.attributes.message,
        })),
        cursor: page.meta?.next_token ?? cursor,
      };
    },

    async getEnv(ctx) {
      const [first] = await machines.list(ctx);
      const secrets = await machinesApi.request<{ name?: string; label?: string }[]>(
        { path: '/secrets' },
        ctx,
      );
      // Secret values are never returned: their names come back with an empty value.
      const names = Object.fromEntries(secrets.map((s) => [s.name ?? s.label ?? '', '']).filter(([k]) => k));
      return { ...names, ...first?.config.env };
    },
  };
  return provider;
}
