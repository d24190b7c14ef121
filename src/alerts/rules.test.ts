import { describe, expect, it } from 'vitest';
import type { StackConfigInput } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { compileRules as compileAll, FALLING_BEHIND_RULE } from './rules.js';

/** The configured rules, without the built-in falling-behind alert (tested on its own below). */
const compileRules = (...args: Parameters<typeof compileAll>) => {
  const compiled = compileAll(...args);
  return { ...compiled, rules: compiled.rules.filter((r) => r.condition.kind !== 'falling-behind') };
};

const config = (over: Partial<StackConfigInput> = {}) =>
  stackSchema.parse({
    name: 'shop',
    services: {
      db: { kind: 'database' },
      api: { kind: 'web', dependsOn: ['db', { service: 'cache', critical: false }] },
      cache: { kind: 'cache' },
    },
    channels: { team: { type: 'console' }, pager: { type: 'console' } },
    ...over,
  });

describe('compileRules', () => {
  it('turns each alert into a rule with its thresholds as numbers and its labels', () => {
    const { rules } = compileRules(
      config({
        incidents: { severities: { P1: { name: 'Critical', respondWithin: '15m', page: true } } },
        alerts: [
          {
            id: 'api-errors',
            service: 'api',
            when: 'error-rate',
            above: '5%',
            window: '5m',
            for: '5m',
            severity: 'P1',
            channels: ['team'],
          },
          {
            id: 'api-slow',
            service: 'api',
            when: 'latency',
            above: '2s',
            percentile: 99,
            window: '10m',
            minSamples: 10,
            keepFiringFor: '2m',
          },
        ],
        slos: [],
      }),
      'production',
    );
    expect(rules[0]).toMatchObject({
      id: 'api-errors',
      service: 'api',
      condition: { kind: 'error-rate', above: 0.05, windowMs: 300_000, minSamples: 3 },
      forMs: 300_000,
      repeatIntervalMs: 4 * 3_600_000,
      notice: 'critical',
      channels: ['team'],
      labels: {
        alertname: 'api-errors',
        service: 'api',
        environment: 'production',
        condition: 'error-rate',
        severity: 'P1',
      },
    });
    expect(rules[1]).toMatchObject({
      condition: { kind: 'latency', percentile: 99, aboveMs: 2000, windowMs: 600_000, minSamples: 10 },
      keepFiringForMs: 120_000,
      notice: 'warning',
      // No channels named and no severity: every channel.
      channels: ['team', 'pager'],
    });
  });

  it('applies a rule without a service to every service of the environment', () => {
    const { rules } = compileRules(config({ alerts: [{ id: 'down', when: 'down' }] }), 'production');
    expect(rules.map((r) => r.service)).toEqual(['db', 'api', 'cache']);
  });

  it('generates the page and ticket burn-rate pairs for SLOs that ask for them, with 30-day factors', () => {
    const { rules } = compileRules(
      config({
        slos: [{ id: 'api-availability', service: 'api', indicator: 'availability', objective: '99.5%' }],
      }),
      'production',
    );
    expect(rules.map((r) => [r.id, r.notice])).toEqual([
      ['api-availability-burn-page', 'critical'],
      ['api-availability-burn-ticket', 'warning'],
    ]);
    const windows = rules.flatMap((r) => (r.condition.kind === 'burn-rate' ? r.condition.windows : []));
    expect(windows.map((w) => [w.factor, w.longMs / 60_000, w.shortMs / 60_000])).toEqual([
      [14.4, 60, 5],
      [6, 360, 30],
      [3, 1440, 120],
      [1, 4320, 360],
    ]);
  });

  it('uses an explicit burn-rate alert for an SLO instead of the generated ones', () => {
    const { rules } = compileRules(
      config({
        slos: [
          {
            id: 'api-availability',
            service: 'api',
            indicator: 'availability',
            objective: '99.5%',
            window: '28d',
          },
        ],
        alerts: [
          { id: 'budget', service: 'api', when: 'burn-rate', slo: 'api-availability', channels: ['pager'] },
        ],
      }),
      'production',
    );
    expect(rules).toHaveLength(1);
    const c = rules[0]!.condition;
    expect(c.kind === 'burn-rate' && c.windows.map((w) => w.factor)).toEqual([13.44, 5.6, 2.8, 1]);
    expect(rules[0]!.channels).toEqual(['pager']);
  });

  it('builds the critical-dependency graph inhibition follows', () => {
    const { graph } = compileRules(config(), 'production');
    expect(graph.get('api')).toEqual([
      { service: 'db', critical: true },
      { service: 'cache', critical: false },
    ]);
  });

  it('builds in opsbook-falling-behind, routed to every channel, and lets a falling-behind alert replace it', () => {
    const builtIn = compileAll(config(), 'production').rules;
    expect(builtIn).toEqual([
      expect.objectContaining({
        id: FALLING_BEHIND_RULE,
        service: 'opsbook',
        condition: { kind: 'falling-behind' },
        forMs: 60_000,
        keepFiringForMs: 300_000,
        channels: ['team', 'pager'],
        labels: expect.objectContaining({ alertname: FALLING_BEHIND_RULE, condition: 'falling-behind' }),
      }),
    ]);
    const routed = compileAll(
      config({ alerts: [{ id: 'engine-lag', when: 'falling-behind', for: '0s', channels: ['pager'] }] }),
      'production',
    ).rules;
    expect(routed).toEqual([
      expect.objectContaining({ id: 'engine-lag', service: 'opsbook', forMs: 0, channels: ['pager'] }),
    ]);
  });
});
