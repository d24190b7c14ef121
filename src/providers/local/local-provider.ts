// The `local` provider: releases as processes on this host behind the supervisor's blue/green proxy.
import type { ResolvedService } from '../../config/index.js';
import type { LogLine, Provider, ProviderContext, ProviderDeploy } from '../types.js';
import { callSupervisor, ensureSupervisor } from './control-client.js';
import { SupervisorUnreachable } from './control-http.js';
import type { DeployBody, RollbackBody, SupervisorInfo } from './protocol.js';
import {
  chooseReadiness,
  type LocalProviderOptions,
  type LocalSettings,
  releaseCwd,
  releaseEnvironment,
  serviceSpec,
} from './release-spec.js';

export function createLocalProvider(service: ResolvedService, options: LocalProviderOptions = {}): Provider {
  if (service.provider?.type !== 'local') throw new Error(`bug: ${service.name} is not a local service`);
  const settings: LocalSettings = service.provider;
  const base = `/v1/services/${encodeURIComponent(service.name)}`;
  const known = new Map<string, SupervisorInfo>();

  /** Calls the stack's supervisor, starting it if needed, and once more after a restart if it went away. */
  const call = async <T>(
    ctx: ProviderContext,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> => {
    ctx.signal.throwIfAborted();
    for (let attempt = 0; ; attempt++) {
      const info = known.get(ctx.cwd) ?? (await ensureSupervisor(ctx.cwd, ctx.signal));
      known.set(ctx.cwd, info);
      try {
        return await callSupervisor<T>(info, ctx.signal, method, `${base}${path}`, body);
      } catch (error) {
        // Nothing listens: the supervisor was stopped since we last saw it.
        if (!(error instanceof SupervisorUnreachable) || attempt > 0 || ctx.signal.aborted) throw error;
        known.delete(ctx.cwd);
      }
    }
  };

  const redact = (d: ProviderDeploy, ctx: ProviderContext): ProviderDeploy =>
    d.reason ? { ...d, reason: ctx.redactor.redact(d.reason) } : d;

  return {
    type: 'local',
    service,
    async deploy(request, ctx) {
      const { env, secrets } = releaseEnvironment(service, ctx.env);
      const body: DeployBody = {
        service: serviceSpec(service, settings, options),
        command: settings.command,
        cwd: releaseCwd(ctx.cwd, settings),
        readiness: chooseReadiness(service, settings, request.environment, options),
        env,
        releaseEnv: request.releaseEnv ?? {},
        version: request.version,
        commit: request.commit,
        secrets,
      };
      return redact(await call<ProviderDeploy>(ctx, 'POST', '/deploys', body), ctx);
    },
    async getDeploy(id, ctx) {
      return redact(await call<ProviderDeploy>(ctx, 'GET', `/deploys/${encodeURIComponent(id)}`), ctx);
    },
    async waitForChange(id, since, maxMs, ctx) {
      const query = `waitWhile=${encodeURIComponent(since)}&waitMs=${Math.max(0, Math.round(maxMs))}`;
      await call<ProviderDeploy>(ctx, 'GET', `/deploys/${encodeURIComponent(id)}?${query}`);
    },
    async listDeploys(ctx, listOptions) {
      const deploys = await call<ProviderDeploy[]>(ctx, 'GET', `/deploys?limit=${listOptions?.limit ?? 20}`);
      return deploys.map((d) => redact(d, ctx));
    },
    async rollback(targetId, ctx) {
      const { env, secrets } = releaseEnvironment(service, ctx.env);
      const body: RollbackBody = { service: serviceSpec(service, settings, options), targetId, env, secrets };
      return redact(await call<ProviderDeploy>(ctx, 'POST', '/rollback', body), ctx);
    },
    async logs(id, ctx, cursor) {
      const page = await call<{ lines: LogLine[]; cursor: string }>(
        ctx,
        'GET',
        `/deploys/${encodeURIComponent(id)}/logs?cursor=${encodeURIComponent(cursor ?? '0')}`,
      );
      return {
        lines: page.lines.map((l) => ({ ...l, text: ctx.redactor.redact(l.text) })),
        cursor: page.cursor,
      };
    },
    async cancel(id, ctx) {
      await call(ctx, 'POST', `/deploys/${encodeURIComponent(id)}/cancel`);
    },
  };
}
