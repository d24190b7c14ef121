/** Before the lock: every provider of the plan can act (token, API, binary), so a missing token locks nothing. */
import { resolveEnvironment } from '../config/index.js';
import type { ProviderContext } from '../providers/types.js';
import type { RunDeployOptions } from './context.js';
import type { DeployPlan } from './plan.js';

/** One problem per service that cannot be deployed as things stand; empty when all can. */
export async function preflightProviders(
  plan: DeployPlan,
  options: RunDeployOptions,
  ctx: ProviderContext,
): Promise<string[]> {
  const services = resolveEnvironment(options.config, plan.environment);
  const problems = await Promise.all(
    plan.groups.flat().map(async (name) => {
      const service = services.find((s) => s.name === name);
      if (!service) return `${name}: not a service of ${plan.environment} any more`;
      try {
        const provider = options.providerFor(service);
        if (provider.preflight) await provider.preflight(ctx);
        else await provider.listDeploys(ctx, { limit: 1 });
        return undefined;
      } catch (error) {
        ctx.signal.throwIfAborted();
        return `${name} (${service.provider?.type ?? 'no provider'}): ${(error as Error).message}`;
      }
    }),
  );
  return problems.filter((p): p is string => p !== undefined);
}
