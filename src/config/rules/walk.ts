/** Walks over the parts of the raw config that several rules read. */
import type { ConfigPath } from '../locate.js';
import { arr, entries, obj, type Raw, str } from '../raw.js';

export const dependencyName = (dep: unknown): string | undefined =>
  typeof dep === 'string' ? dep : str(obj(dep).service);

/** Every `services.NAME.dependsOn` entry with the name it points at and where that name is written. */
export function* dependencies(config: Raw): Generator<{ service: string; target: unknown; at: ConfigPath }> {
  for (const [service, svc] of entries(config.services))
    for (const [i, dep] of arr(svc.dependsOn).entries())
      yield {
        service,
        target: dependencyName(dep),
        at:
          typeof dep === 'string'
            ? ['services', service, 'dependsOn', i]
            : ['services', service, 'dependsOn', i, 'service'],
      };
}

/** Every variable of every service's env contract, with its path. */
export function* envVariables(
  config: Raw,
): Generator<{ service: string; variable: string; spec: Raw; at: ConfigPath }> {
  for (const [service, svc] of entries(config.services))
    for (const [variable, spec] of entries(svc.env))
      yield { service, variable, spec, at: ['services', service, 'env', variable] };
}

/** Each alert with its index path. */
export const alerts = (config: Raw): { alert: Raw; at: ConfigPath }[] =>
  arr(config.alerts).map((a, i) => ({ alert: obj(a), at: ['alerts', i] }));

/** Every name in `deploy.order`, whose entries are names or parallel groups of names. */
export const deployOrder = (config: Raw): { name: unknown; at: ConfigPath }[] =>
  arr(obj(config.deploy).order).flatMap((group, i) =>
    Array.isArray(group)
      ? group.map((name, j) => ({ name, at: ['deploy', 'order', i, j] }))
      : [{ name: group, at: ['deploy', 'order', i] }],
  );

/** Every health endpoint of every service, the per-environment overrides' included. */
export function* healthEndpoints(config: Raw): Generator<{ service: string; endpoint: Raw; at: ConfigPath }> {
  for (const [service, svc] of entries(config.services)) {
    for (const [i, h] of arr(svc.health).entries())
      yield { service, endpoint: obj(h), at: ['services', service, 'health', i] };
    for (const [env, o] of entries(svc.overrides))
      for (const [i, h] of arr(o.health).entries())
        yield { service, endpoint: obj(h), at: ['services', service, 'overrides', env, 'health', i] };
  }
}
