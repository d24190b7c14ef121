/**
 * The Railway provider over the public GraphQL API: deploy (or follow) a service instance, watch it, read
 * build and deploy logs, roll back with `deploymentRollback` (the old image with its variables), list, env, and
 * switch the service instance's auto-deploy off after a rollback (back on at unlock).
 */
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import { followDeploy } from '../follow-deploy.js';
import {
  type Connection,
  collectPages,
  createOnce,
  followCommit as followCommitDeploy,
  type HttpTuning,
  readConnectionPage,
  sameCommit,
} from '../http/index.js';
import type { LogLine, Provider, ProviderContext, ProviderDeploy } from '../types.js';
import {
  commitOf,
  DOCUMENTS,
  RAILWAY_API_URL,
  type RailwayDeployment,
  type RailwayLog,
  toProviderDeploy,
} from './api.js';
import { connectRailway } from './connection.js';

export interface RailwayProviderOptions extends HttpTuning {
  /** Default https://backboard.railway.com/graphql/v2; tests point it at a loopback fake. */
  baseUrl?: string;
  followIntervalMs?: number;
  followAttempts?: number;
  /** After a rollback, how often and how many times to look for the deployment it started. */
  rollbackCheckIntervalMs?: number;
  rollbackChecks?: number;
  /** How often, and how long, `rollback` watches the rollback deployment until it is live. */
  pollIntervalMs?: number;
  rollbackTimeoutMs?: number;
}

export function createRailwayProvider(
  service: ResolvedService,
  options: RailwayProviderOptions = {},
): Provider {
  const {
    baseUrl,
    followIntervalMs = 5_000,
    followAttempts = 24,
    rollbackCheckIntervalMs = 2_000,
    rollbackChecks = 5,
    pollIntervalMs = 5_000,
    rollbackTimeoutMs = 15 * 60_000,
    ...tuning
  } = options;
  const { gql, idsOf } = connectRailway(service, baseUrl ?? RAILWAY_API_URL, tuning);

  const listPage = async (ctx: ProviderContext, first: number, after?: string) => {
    const { environmentId, serviceId, projectId } = await idsOf(ctx);
    const { deployments } = await gql<{ deployments: Connection<RailwayDeployment> }>(
      {
        operation: 'Deployments',
        query: DOCUMENTS.deployments,
        variables: { input: { projectId, environmentId, serviceId }, first, after },
      },
      ctx,
    );
    return readConnectionPage(deployments);
  };
  const recent = async (ctx: ProviderContext) => (await listPage(ctx, 20)).items;
  const getRaw = async (id: string, ctx: ProviderContext) =>
    (
      await gql<{ deployment: RailwayDeployment }>(
        { operation: 'Deployment', query: DOCUMENTS.deployment, variables: { id } },
        ctx,
      )
    ).deployment;

  const readLogs = async (
    kind: 'buildLogs' | 'deploymentLogs',
    id: string,
    ctx: ProviderContext,
    since?: string,
  ) => {
    const data = await gql<Record<string, RailwayLog[]>>(
      {
        operation: kind === 'buildLogs' ? 'BuildLogs' : 'DeploymentLogs',
        query: DOCUMENTS[kind],
        variables: { deploymentId: id, startDate: since, limit: 500 },
      },
      ctx,
    );
    // startDate is inclusive, so the line the cursor points at comes back once more.
    return (data[kind] ?? []).filter((log) => !since || log.timestamp > since);
  };

  const failureReason = async (deployment: RailwayDeployment, ctx: ProviderContext) => {
    if (deployment.status === 'CRASHED') return 'the service crashed after it started (CRASHED)';
    const logs = await readLogs('buildLogs', deployment.id, ctx);
    const line = logs.filter((l) => l.severity === 'error').at(-1) ?? logs.at(-1);
    return line ? `the deploy failed: ${line.message}` : 'the deploy failed (FAILED)';
  };

  const followCommit = (commit: string, ctx: ProviderContext): Promise<ProviderDeploy> =>
    followCommitDeploy({
      provider: 'railway',
      commit,
      ctx,
      attempts: followAttempts,
      intervalMs: followIntervalMs,
      recent: () => recent(ctx),
      commitOf: commitOf,
      toDeploy: toProviderDeploy,
      what: 'deployment',
      where: `for ${service.name}`,
      hint: 'is the GitHub trigger connected?',
    });

  const provider: Provider = {
    type: 'railway',
    service,

    async deploy(request, ctx) {
      const commit = request.commit;
      if (request.follow) {
        if (!commit) throw new UserError('railway: following a push deployment needs the commit to look for');
        return followCommit(commit, ctx);
      }
      const { environmentId, serviceId } = await idsOf(ctx);
      const created = await createOnce({
        what: 'deployment',
        ctx,
        listRecent: () => recent(ctx),
        idOf: (d) => d.id,
        matches: (d) => !commit || sameCommit(commitOf(d), commit),
        create: async (): Promise<RailwayDeployment> => {
          const data = await gql<{ serviceInstanceDeployV2: string }>(
            {
              operation: 'ServiceInstanceDeployV2',
              query: DOCUMENTS.deploy,
              variables: { environmentId, serviceId, commitSha: commit },
            },
            ctx,
          );
          // The mutation answers with the new id only; the first poll fills in the rest.
          return {
            id: data.serviceInstanceDeployV2,
            status: 'QUEUED',
            createdAt: new Date(ctx.now()).toISOString(),
            ...(commit ? { meta: { commitHash: commit } } : {}),
          };
        },
      });
      return toProviderDeploy(created);
    },

    async getDeploy(id, ctx) {
      const deployment = await getRaw(id, ctx);
      const { status, createdAt } = deployment;
      if (status === 'FAILED' || status === 'CRASHED') {
        return toProviderDeploy(deployment, { reason: await failureReason(deployment, ctx) });
      }
      if (status === 'REMOVED' || status === 'REMOVING') {
        const newer = (await recent(ctx)).some((d) => d.createdAt > createdAt);
        return toProviderDeploy(deployment, { newer });
      }
      return toProviderDeploy(deployment);
    },

    async rollback(targetId, ctx) {
      const before = new Set((await recent(ctx)).map((d) => d.id));
      const created = await createOnce({
        what: 'rollback',
        ctx,
        listRecent: () => recent(ctx),
        idOf: (d) => d.id,
        matches: () => true,
        create: async () => {
          const { deploymentRollback } = await gql<{ deploymentRollback: boolean }>(
            { operation: 'DeploymentRollback', query: DOCUMENTS.rollback, variables: { id: targetId } },
            ctx,
          );
          if (!deploymentRollback)
            throw new ProviderError('railway', `railway: the rollback to ${targetId} was refused`);
          for (let check = 0; check < rollbackChecks; check++) {
            const started = (await recent(ctx)).find((d) => !before.has(d.id));
            if (started) return started;
            await ctx.sleep(rollbackCheckIntervalMs);
          }
          // No new deployment showed up: the target itself is what serves now.
          return getRaw(targetId, ctx);
        },
      });
      ctx.log(
        `railway: rolling back to ${targetId} (image and variables of that deployment) as ${created.id}`,
      );
      const settled = await followDeploy(provider, created.id, ctx, {
        intervalMs: pollIntervalMs,
        timeoutMs: rollbackTimeoutMs,
      });
      return { ...settled, trigger: 'rollback' };
    },

    async listDeploys(ctx, listOptions) {
      const limit = listOptions?.limit ?? 20;
      const deployments = await collectPages((after) => listPage(ctx, Math.min(limit, 100), after), limit);
      // Newest first, so every deployment but the first has a newer one.
      return deployments.map((d, index) => toProviderDeploy(d, { newer: index > 0 }));
    },

    async logs(id, ctx, cursor) {
      const [build, runtime] = await Promise.all([
        readLogs('buildLogs', id, ctx, cursor),
        readLogs('deploymentLogs', id, ctx, cursor),
      ]);
      const lines: LogLine[] = [
        ...build.map((l) => ({ at: l.timestamp, source: 'build' as const, text: l.message })),
        ...runtime.map((l) => ({ at: l.timestamp, source: 'runtime' as const, text: l.message })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      return { lines, cursor: lines.at(-1)?.at ?? cursor };
    },

    async getEnv(ctx) {
      const { projectId, environmentId, serviceId } = await idsOf(ctx);
      const { variables } = await gql<{ variables: Record<string, string> }>(
        {
          operation: 'Variables',
          query: DOCUMENTS.variables,
          variables: { projectId, environmentId, serviceId },
        },
        ctx,
      );
      return variables;
    },

    async setEnv(values, ctx) {
      const { projectId, environmentId, serviceId } = await idsOf(ctx);
      // skipDeploys: opsbook starts the one deploy itself instead of Railway redeploying on every change.
      await gql(
        {
          operation: 'VariableCollectionUpsert',
          query: DOCUMENTS.upsertVariables,
          variables: { input: { projectId, environmentId, serviceId, variables: values, skipDeploys: true } },
          idempotent: true,
        },
        ctx,
      );
    },

    async setAutoDeploy(enabled, ctx) {
      const { projectId, environmentId, serviceId } = await idsOf(ctx);
      const { serviceInstanceAutoDeployStatus: status } = await gql<{
        serviceInstanceAutoDeployStatus: { enabled: boolean; canEnable?: boolean; reason?: string | null };
      }>(
        {
          operation: 'ServiceInstanceAutoDeployStatus',
          query: DOCUMENTS.autoDeployStatus,
          variables: { projectId, environmentId, serviceId },
        },
        ctx,
      );
      // Already so: nothing changed, and unlock must not switch on what opsbook did not switch off.
      if (status.enabled === enabled) return false;
      if (enabled && status.canEnable === false)
        throw new ProviderError(
          'railway',
          `railway: auto-deploy cannot be switched on for ${service.name}${status.reason ? ` (${status.reason})` : ''}`,
        );
      await gql(
        {
          operation: 'ServiceInstanceAutoDeployUpdate',
          query: DOCUMENTS.autoDeployUpdate,
          variables: { input: { projectId, environmentId, serviceId, enabled } },
          idempotent: true,
        },
        ctx,
      );
      return true;
    },

    async cancel(id, ctx) {
      await gql(
        { operation: 'DeploymentCancel', query: DOCUMENTS.cancel, variables: { id }, idempotent: true },
        ctx,
      );
    },
  };
  return provider;
}
