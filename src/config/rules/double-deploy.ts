import { obj, str } from '../raw.js';
import type { StackConfig } from '../schema.js';
import { defineRule } from './rule.js';

/**
 * Vercel's git integration deploys every push; `vercel --prod` (or `vercel deploy`) from a command provider would
 * ship the same commit a second time. In an environment that deploys on push, a Vercel service is followed (the
 * `vercel` provider finds the git deployment), never deployed by the CLI as well.
 */
export function runsVercelCli(provider: unknown, platform: unknown): boolean {
  const p = obj(provider);
  if (str(p.type) !== 'command') return false;
  const deploy = str(p.deploy) ?? '';
  return platform === 'vercel' || /(^|[\s;&|(]|npx\s+|\/)vercel(\s|$)/.test(deploy);
}

/** Whether an environment's platforms deploy on push: its own autoDeploy, else deploy.trigger. */
export function deploysOnPush(
  config: { environments?: unknown; deploy?: unknown },
  environment: string,
): boolean {
  const own = obj(obj(config.environments)[environment]).autoDeploy;
  return typeof own === 'boolean' ? own : str(obj(config.deploy).trigger) === 'push';
}

const FIX =
  "use provider { type: vercel, project: ... } (opsbook follows the git deployment), or deploy.trigger: api with Vercel's git integration disconnected";

/** The services of a validated config that would be deployed twice in `environment` (empty when none). */
export function doubleDeployed(config: StackConfig, environment: string): string[] {
  if (!deploysOnPush(config, environment)) return [];
  return Object.entries(config.services)
    .filter(([, svc]) => {
      const o = svc.overrides?.[environment];
      return !o?.disabled && runsVercelCli(o?.provider ?? svc.provider, o?.platform ?? svc.platform);
    })
    .map(([name]) => name);
}

export const doubleDeploy = defineRule({
  code: 'config/double-deploy',
  check({ config, names, report }) {
    const pushing = names.environments.filter((e) => deploysOnPush(config, e));
    if (!pushing.length) return;
    for (const [name, raw] of Object.entries(obj(config.services))) {
      const svc = obj(raw);
      const twice = pushing.filter((e) => {
        const o = obj(obj(svc.overrides)[e]);
        return o.disabled !== true && runsVercelCli(o.provider ?? svc.provider, o.platform ?? svc.platform);
      });
      if (!twice.length) continue;
      report({
        severity: 'error',
        message: `${name} would be deployed twice in ${twice.join(', ')}: Vercel's git integration deploys the push, and opsbook would run \`${str(obj(svc.provider).deploy) ?? 'the deploy command'}\` as well`,
        hint: FIX,
        path: ['services', name, 'provider'],
      });
    }
  },
});

export const DOUBLE_DEPLOY_FIX = FIX;
