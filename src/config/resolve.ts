/** The stack as seen from one environment: per-environment overrides applied, disabled services removed. */
import { UserError } from '../errors.js';
import type { StackConfig } from './schema.js';
import type { HealthEndpoint, ServiceConfig } from './schema-service.js';
import { closestMatch } from './suggest.js';

export interface ResolvedService extends Omit<ServiceConfig, 'overrides' | 'urls' | 'health'> {
  name: string;
  health: HealthEndpoint[];
  /** The URL in this environment, if any. */
  url?: string;
  dependencies: { service: string; critical: boolean }[];
}

export function resolveEnvironment(config: StackConfig, environment: string): ResolvedService[] {
  if (!(environment in config.environments)) {
    const names = Object.keys(config.environments);
    const guess = closestMatch(environment, names);
    throw new UserError(
      `unknown environment '${environment}'`,
      guess ? `did you mean '${guess}'?` : `declared: ${names.join(', ')}`,
    );
  }
  const out: ResolvedService[] = [];
  for (const [name, svc] of Object.entries(config.services)) {
    const { overrides, urls, ...base } = svc;
    const o = overrides?.[environment];
    if (o?.disabled) continue;
    const env = { ...base.env };
    for (const [k, v] of Object.entries(o?.env ?? {})) env[k] = { ...env[k], ...v } as (typeof env)[string];
    out.push({
      ...base,
      ...(o?.platform ? { platform: o.platform } : {}),
      ...(o?.provider ? { provider: o.provider } : {}),
      ...(o?.replicas !== undefined ? { replicas: o.replicas } : {}),
      // An endpoint without its own timeout waits as long as monitoring.timeout says, like its interval.
      health: (o?.health ?? base.health).map((h) => ({
        ...h,
        timeout: h.timeout ?? config.monitoring.timeout,
      })),
      env,
      name,
      url: urls?.[environment],
      dependencies: base.dependsOn.map((d) =>
        typeof d === 'string' ? { service: d, critical: true } : { service: d.service, critical: d.critical },
      ),
    });
  }
  return out;
}
