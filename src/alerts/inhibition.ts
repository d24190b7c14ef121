/**
 * Inhibition derived from the dependency graph: while a service's down alert fires, the alerts of every
 * service that depends on it critically (directly or through other critical dependencies) are muted,
 * so the database going down pages about the database, not about each app behind it.
 */
import type { AlertCondition } from './types.js';

export type DependencyGraph = ReadonlyMap<string, readonly { service: string; critical: boolean }[]>;

/** Conditions that say "this service is down"; only these inhibit. */
export const isDownCondition = (c: AlertCondition): boolean =>
  c.kind === 'down' || c.kind === 'consecutive-failures';

/** Muted service -> the down service that mutes it. A down service does not mute its own alerts. */
export function inhibitedServices(
  downServices: Iterable<string>,
  graph: DependencyGraph,
): Map<string, string> {
  const dependents = new Map<string, string[]>();
  for (const [service, deps] of graph)
    for (const dep of deps)
      if (dep.critical) dependents.set(dep.service, [...(dependents.get(dep.service) ?? []), service]);

  const muted = new Map<string, string>();
  for (const source of downServices) {
    const queue = [...(dependents.get(source) ?? [])];
    while (queue.length) {
      const service = queue.shift()!;
      if (service === source || muted.has(service)) continue;
      muted.set(service, source);
      queue.push(...(dependents.get(service) ?? []));
    }
  }
  return muted;
}
