import { defineRule } from './rule.js';
import { dependencies } from './walk.js';

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const cycle = visit(m);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

export const dependencyCycle = defineRule({
  code: 'config/dependency-cycle',
  check({ config, names, report }) {
    const graph = new Map<string, string[]>(names.services.map((s) => [s, []]));
    for (const { service, target } of dependencies(config))
      if (typeof target === 'string' && target) graph.get(service)?.push(target);
    const cycle = findCycle(graph);
    if (cycle)
      report({
        severity: 'error',
        message: `services depend on each other in a cycle: ${cycle.join(' -> ')}`,
        hint: 'remove one of these dependsOn entries; opsbook deploys dependencies first',
        path: ['services', cycle[0]!, 'dependsOn'],
      });
  },
});
