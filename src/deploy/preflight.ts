/** Before the lock: every provider of the plan can act (token, API, binary), so a missing token locks nothing. */
import { type ResolvedService, resolveEnvironment, type StackConfig } from '../config/index.js';
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
      const shared = sharedWithProduction(options.config, plan.environment, service);
      if (shared) return `${name} (${service.provider?.type}): ${shared}`;
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

/** Platforms whose target a provider config names outright (an id or a name), whatever token reaches it. */
const NAMED_TARGET: readonly string[] = ['render', 'vercel', 'fly', 'heroku', 'netlify', 'railway'];

/**
 * Why deploying (or rolling back) `service` in `environment` would change production instead: its provider settings
 * there name the same platform target as in production (a staging that copied production's Render service, Vercel
 * project or Fly app, and never overrode it). The Vercel provider ships production deployments of a project too.
 */
export function sharedWithProduction(
  config: StackConfig,
  environment: string,
  service: ResolvedService,
): string | undefined {
  const own = service.provider;
  if (environment === 'production' || !own || !NAMED_TARGET.includes(own.type)) return undefined;
  // Railway without an environment takes it from a project token, which may be staging's own.
  if (own.type === 'railway' && !own.environment) return undefined;
  if (!('production' in config.environments)) return undefined;
  const production = resolveEnvironment(config, 'production').find((s) => s.name === service.name)?.provider;
  const target = (p: typeof own) => JSON.stringify({ ...p, token: undefined });
  if (!production || target(production) !== target(own)) return undefined;
  return `${environment} deploys to the same ${own.type} target as production (services.${service.name}.provider is the same in both), so it would change production; give ${environment} its own in services.${service.name}.overrides.${environment}.provider, or set overrides.${environment}.disabled: true`;
}
