/**
 * The health model as pure functions: a service's state from its own probes and its dependencies' states
 * (critical down makes it unhealthy, non-critical down only degraded), and the stack's state: the worst
 * of its services'. Unknown never counts as down.
 */
import type { ProbeResult } from '../probes/index.js';

export type HealthState = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

export interface OwnHealth {
  state: HealthState;
  reasons: string[];
}

export interface HealthNode {
  service: string;
  own: OwnHealth;
  dependencies: { service: string; critical: boolean }[];
}

export interface DerivedHealth {
  state: HealthState;
  reasons: string[];
}

export interface HealthModel {
  services: Record<string, DerivedHealth>;
  stack: DerivedHealth;
}

const RANK: Record<HealthState, number> = { unknown: -1, healthy: 0, degraded: 1, unhealthy: 2 };

/** The worse of the known states; unknown only when nothing is known. */
export function worstState(states: Iterable<HealthState>): HealthState {
  let worst: HealthState = 'unknown';
  for (const s of states) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/** A service's own state from its probes: any down is unhealthy, any degraded is degraded. */
export function ownHealth(
  probes: { name: string; result: ProbeResult }[],
  reasons: string[] = [],
): OwnHealth {
  if (!probes.length) return { state: 'unknown', reasons };
  const down = probes.filter((p) => p.result.outcome === 'down');
  const degraded = probes.filter((p) => p.result.outcome === 'degraded');
  const explain = (p: { name: string; result: ProbeResult }) => `${p.name}: ${p.result.failures.join('; ')}`;
  if (down.length) return { state: 'unhealthy', reasons: [...down.map(explain), ...reasons] };
  if (degraded.length) return { state: 'degraded', reasons: [...degraded.map(explain), ...reasons] };
  return { state: 'healthy', reasons };
}

/** What a dependency in `state` does to its dependent, and why. */
function dependencyEffect(name: string, critical: boolean, state: HealthState): DerivedHealth | undefined {
  if (state === 'unhealthy')
    return critical
      ? { state: 'unhealthy', reasons: [`critical dependency ${name} is unhealthy`] }
      : { state: 'degraded', reasons: [`non-critical dependency ${name} is unhealthy`] };
  if (state === 'degraded' && critical)
    return { state: 'degraded', reasons: [`dependency ${name} is degraded`] };
  return undefined;
}

export function deriveHealth(nodes: readonly HealthNode[]): HealthModel {
  const byName = new Map(nodes.map((n) => [n.service, n]));
  const derived = new Map<string, DerivedHealth>();
  const visiting = new Set<string>();

  const derive = (node: HealthNode): DerivedHealth => {
    const known = derived.get(node.service);
    if (known) return known;
    visiting.add(node.service);
    const effects: DerivedHealth[] = [node.own];
    for (const dep of node.dependencies) {
      const depNode = byName.get(dep.service);
      // Not in this environment (disabled or filtered out), or a cycle: nothing known to pass on.
      if (!depNode || visiting.has(dep.service)) continue;
      const effect = dependencyEffect(dep.service, dep.critical, derive(depNode).state);
      if (effect) effects.push(effect);
    }
    visiting.delete(node.service);
    const state = worstState(effects.map((e) => e.state));
    const reasons = effects.filter((e) => e.state !== 'healthy').flatMap((e) => e.reasons);
    const result = { state, reasons };
    derived.set(node.service, result);
    return result;
  };
  for (const node of nodes) derive(node);

  return { services: Object.fromEntries(derived), stack: rollUp(nodes, derived) };
}

/**
 * The stack's state: the worst state of any of its services. A service whose own probe fails is down
 * whatever depends on it and however: `critical: false` softens what its dependents show, not its own
 * verdict, so a down service never hides behind a non-critical edge in the stack's state or exit code.
 */
function rollUp(nodes: readonly HealthNode[], derived: Map<string, DerivedHealth>): DerivedHealth {
  const contributions = nodes.map((n) => {
    const state = derived.get(n.service)?.state ?? 'unknown';
    const own = n.own.state === 'unhealthy' || n.own.state === 'degraded';
    return { service: n.service, state, own };
  });
  const state = worstState(contributions.map((c) => c.state));
  const reasons = contributions
    .filter((c) => c.state === 'unhealthy' || c.state === 'degraded')
    .map((c) => `${c.service} is ${c.state}${c.own ? '' : ' (through its dependencies)'}`);
  const unknown = contributions.filter((c) => c.state === 'unknown').map((c) => c.service);
  if (unknown.length) reasons.push(`not known: ${unknown.join(', ')}`);
  return { state, reasons };
}
