/**
 * A push-triggered platform starts building the commit while opsbook is still running the gates. When a gate fails,
 * that build must not ship unnoticed: cancel it where the platform can, else say plainly that it deploys anyway.
 */
import { resolveEnvironment } from '../config/index.js';
import { sameCommit } from '../providers/http/index.js';
import type { ProviderContext } from '../providers/types.js';
import { TERMINAL_STATES } from '../providers/types.js';
import type { RunDeployOptions } from './context.js';
import type { DeployPlan } from './plan.js';

/** One sentence per service: the platform's deploy of the commit and what became of it, or that none is seen yet. */
export async function stopPushDeploys(
  plan: DeployPlan,
  options: RunDeployOptions,
  ctx: ProviderContext,
): Promise<string[]> {
  const commit = plan.commit;
  if (!plan.follow || !commit) return [];
  const services = resolveEnvironment(options.config, plan.environment);
  const short = commit.slice(0, 12);
  const said = await Promise.all(
    plan.groups.flat().map(async (name): Promise<string | undefined> => {
      const service = services.find((s) => s.name === name);
      if (!service) return undefined;
      const provider = options.providerFor(service);
      try {
        const deploys = await provider.listDeploys(ctx, { limit: 10 });
        const mine = deploys.find((d) => sameCommit(d.commit, commit));
        // Gates can fail before the platform has even seen the push: nothing to cancel yet is not "nothing ships".
        if (!mine)
          return ['local', 'command'].includes(provider.type)
            ? undefined
            : `${name}: no platform deploy of ${short} yet, but ${provider.type} deploys on push and may still start one for the push: check its dashboard, and roll back with \`opsbook rollback ${name}\` if it ships`;
        if (mine.state === 'live')
          return `${name}: the platform already deployed ${short} (deploy ${mine.id} is live); roll back with \`opsbook rollback ${name}\``;
        if (TERMINAL_STATES.includes(mine.state)) return undefined;
        if (!provider.cancel)
          return `${name}: the platform is deploying ${short} anyway (deploy ${mine.id}, ${mine.state}): ${provider.type} cannot cancel a deploy; stop it in its dashboard`;
        await provider.cancel(mine.id, ctx);
        return `${name}: canceled the platform deploy ${mine.id} of ${short}`;
      } catch (error) {
        return `${name}: could not cancel the platform deploy of ${short} (${(error as Error).message}); it may be deploying anyway: check its dashboard`;
      } finally {
        await provider.close?.();
      }
    }),
  );
  return said.filter((s): s is string => s !== undefined);
}
