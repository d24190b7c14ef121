import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../probes/index.js';
import { deriveHealth, type HealthNode, type HealthState, ownHealth, worstState } from './derive.js';

const STATES: HealthState[] = ['healthy', 'degraded', 'unhealthy', 'unknown'];

const probe = (outcome: ProbeResult['outcome'], failures: string[] = []): ProbeResult => ({
  ok: outcome !== 'down',
  outcome,
  latencyMs: 5,
  failures,
  warnings: [],
  at: '2026-01-01T00:00:00.000Z',
  attempts: 1,
});

const node = (service: string, state: HealthState, deps: [string, boolean][] = []): HealthNode => ({
  service,
  own: { state, reasons: state === 'healthy' ? [] : [`${service} own ${state}`] },
  dependencies: deps.map(([s, critical]) => ({ service: s, critical })),
});

describe('worstState', () => {
  it('orders healthy < degraded < unhealthy and ignores unknown unless nothing else is known', () => {
    expect(worstState([])).toBe('unknown');
    expect(worstState(['unknown', 'unknown'])).toBe('unknown');
    expect(worstState(['unknown', 'healthy'])).toBe('healthy');
    expect(worstState(['healthy', 'degraded', 'unknown'])).toBe('degraded');
    expect(worstState(['degraded', 'unhealthy', 'healthy'])).toBe('unhealthy');
  });
});

describe('ownHealth', () => {
  it('is unknown without probes, keeping the reason', () => {
    expect(ownHealth([], ['no URL to probe'])).toEqual({ state: 'unknown', reasons: ['no URL to probe'] });
  });

  it('is healthy when every probe is up, degraded on any degraded, unhealthy on any down', () => {
    expect(
      ownHealth([
        { name: 'a', result: probe('up') },
        { name: 'b', result: probe('up') },
      ]).state,
    ).toBe('healthy');
    expect(
      ownHealth([
        { name: 'live', result: probe('up') },
        { name: 'deep', result: probe('degraded', ["status is 'degraded' (degraded)"]) },
      ]),
    ).toEqual({ state: 'degraded', reasons: ["deep: status is 'degraded' (degraded)"] });
    expect(
      ownHealth([
        { name: 'deep', result: probe('degraded', ['x']) },
        { name: 'live', result: probe('down', ['status 503, expected 200']) },
      ]),
    ).toEqual({ state: 'unhealthy', reasons: ['live: status 503, expected 200'] });
  });
});

describe('deriveHealth: one service, one dependency (every combination)', () => {
  // expected[own][dependency state] for a critical, then a non-critical dependency.
  const critical: Record<HealthState, Record<HealthState, HealthState>> = {
    healthy: { healthy: 'healthy', degraded: 'degraded', unhealthy: 'unhealthy', unknown: 'healthy' },
    degraded: { healthy: 'degraded', degraded: 'degraded', unhealthy: 'unhealthy', unknown: 'degraded' },
    unhealthy: { healthy: 'unhealthy', degraded: 'unhealthy', unhealthy: 'unhealthy', unknown: 'unhealthy' },
    unknown: { healthy: 'unknown', degraded: 'degraded', unhealthy: 'unhealthy', unknown: 'unknown' },
  };
  const nonCritical: Record<HealthState, Record<HealthState, HealthState>> = {
    healthy: { healthy: 'healthy', degraded: 'healthy', unhealthy: 'degraded', unknown: 'healthy' },
    degraded: { healthy: 'degraded', degraded: 'degraded', unhealthy: 'degraded', unknown: 'degraded' },
    unhealthy: { healthy: 'unhealthy', degraded: 'unhealthy', unhealthy: 'unhealthy', unknown: 'unhealthy' },
    unknown: { healthy: 'unknown', degraded: 'unknown', unhealthy: 'degraded', unknown: 'unknown' },
  };
  for (const own of STATES)
    for (const dep of STATES)
      for (const [isCritical, table] of [
        [true, critical],
        [false, nonCritical],
      ] as const)
        it(`own ${own}, ${isCritical ? 'critical' : 'non-critical'} dependency ${dep} -> ${table[own][dep]}`, () => {
          const model = deriveHealth([node('api', own, [['db', isCritical]]), node('db', dep)]);
          expect(model.services.api?.state).toBe(table[own][dep]);
          expect(model.services.db?.state).toBe(dep);
        });
});

describe('deriveHealth: reasons, chains and the stack', () => {
  it('explains a critical dependency down, and passes it along a chain', () => {
    const model = deriveHealth([
      node('web', 'healthy', [['api', true]]),
      node('api', 'healthy', [
        ['db', true],
        ['search', false],
      ]),
      node('db', 'unhealthy'),
      node('search', 'healthy'),
    ]);
    expect(model.services.api).toEqual({
      state: 'unhealthy',
      reasons: ['critical dependency db is unhealthy'],
    });
    expect(model.services.web).toEqual({
      state: 'unhealthy',
      reasons: ['critical dependency api is unhealthy'],
    });
    expect(model.stack.state).toBe('unhealthy');
    expect(model.stack.reasons).toEqual([
      'web is unhealthy (through its dependencies)',
      'api is unhealthy (through its dependencies)',
      'db is unhealthy',
    ]);
  });

  it('keeps a service whose own probe fails unhealthy in the stack, even behind a non-critical edge', () => {
    const model = deriveHealth([
      node('api', 'healthy', [
        ['db', true],
        ['neo4j', false],
      ]),
      node('db', 'healthy'),
      node('neo4j', 'unhealthy'),
    ]);
    expect(model.services.api).toEqual({
      state: 'degraded',
      reasons: ['non-critical dependency neo4j is unhealthy'],
    });
    expect(model.services.neo4j?.state).toBe('unhealthy');
    expect(model.stack).toEqual({
      state: 'unhealthy',
      reasons: ['api is degraded (through its dependencies)', 'neo4j is unhealthy'],
    });
  });

  it("keeps the service's own reasons next to its dependencies'", () => {
    const model = deriveHealth([node('api', 'degraded', [['db', true]]), node('db', 'degraded')]);
    expect(model.services.api?.reasons).toEqual(['api own degraded', 'dependency db is degraded']);
  });

  it('does not count unknown as down: the stack is healthy around unknown services', () => {
    const model = deriveHealth([node('api', 'healthy', [['stripe', true]]), node('stripe', 'unknown')]);
    expect(model.services.api?.state).toBe('healthy');
    expect(model.stack).toEqual({ state: 'healthy', reasons: ['not known: stripe'] });
  });

  it('is unknown when nothing is known', () => {
    expect(deriveHealth([node('a', 'unknown'), node('b', 'unknown')]).stack.state).toBe('unknown');
    expect(deriveHealth([]).stack.state).toBe('unknown');
  });

  it('counts a service nothing depends on (a worker)', () => {
    const model = deriveHealth([node('web', 'healthy'), node('worker', 'unhealthy')]);
    expect(model.stack.state).toBe('unhealthy');
  });

  it('shows each dependent by how it depends on a down service, and the stack as down', () => {
    const model = deriveHealth([
      node('web', 'healthy', [['cache', false]]),
      node('worker', 'healthy', [['cache', true]]),
      node('cache', 'unhealthy'),
    ]);
    expect(model.services.web?.state).toBe('degraded');
    expect(model.services.worker?.state).toBe('unhealthy');
    expect(model.stack.state).toBe('unhealthy');
  });

  it('ignores dependencies absent from this environment', () => {
    const model = deriveHealth([node('api', 'healthy', [['preview-db', true]])]);
    expect(model.services.api).toEqual({ state: 'healthy', reasons: [] });
    expect(model.stack.state).toBe('healthy');
  });
});
