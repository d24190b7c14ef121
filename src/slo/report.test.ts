import { describe, expect, it } from 'vitest';
import { createMemorySignals } from '../../test/support/alerts/memory-signals.js';
import { stackSchema } from '../config/schema.js';
import { computeSloReport } from './report.js';

const MIN = 60_000;
const NOW = Date.parse('2030-01-31T00:00:00.000Z');

const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  slos: [
    { id: 'avail', service: 'api', indicator: 'availability', objective: '99.5%', window: '30d' },
    {
      id: 'fast',
      service: 'api',
      indicator: 'latency',
      objective: '90%',
      threshold: '500ms',
      percentile: 95,
      window: '1d',
    },
  ],
});

/** A check every 10 minutes for 30 days; `down(t)` and `latency(t)` by time before NOW. */
function history(down: (ago: number) => boolean, latency: (ago: number) => number = () => 100) {
  const signals = createMemorySignals();
  for (let ago = 0; ago < 30 * 1440 * MIN; ago += 10 * MIN)
    signals.record('api', 'deep', {
      at: NOW - ago,
      outcome: down(ago) ? 'down' : 'up',
      latencyMs: latency(ago),
    });
  return signals;
}

describe('computeSloReport', () => {
  it('reports the SLI, the share of the error budget left and the burn rate per window', async () => {
    // 4320 checks in 30 days and a 0.5% budget: 21.6 failures allowed. 9 failed, two days ago.
    const signals = history((ago) => ago >= 2 * 1440 * MIN && ago < 2 * 1440 * MIN + 90 * MIN);
    const report = await computeSloReport({ config, environment: 'production', history: signals, now: NOW });
    const avail = report.slos.find((s) => s.id === 'avail')!;
    expect(avail).toMatchObject({ total: 4320, good: 4311, bad: 9, objective: 0.995 });
    expect(avail.budgetRemaining).toBeCloseTo(1 - 9 / 21.6, 6);
    expect(avail.burnRates['1h']).toBe(0);
    // 9 of the last 432 checks (3 days) failed: 2.08% / 0.5% = 4.2x.
    expect(avail.burnRates['3d']).toBeCloseTo(9 / 432 / 0.005, 6);
    // The 3d window burns 4x, but its 6h short window has recovered: no alert pair is burning.
    expect(avail.burning).toEqual([]);
  });

  it('flags the page pair while a fresh outage burns fast on both windows', async () => {
    const signals = history((ago) => ago < 40 * MIN);
    const report = await computeSloReport({
      config,
      environment: 'production',
      history: signals,
      now: NOW,
      slo: 'avail',
    });
    expect(report.slos).toHaveLength(1);
    expect(report.slos[0]!.burning.map((b) => `${b.severity} ${b.factor}x ${b.long}/${b.short}`)).toEqual([
      'page 14.4x 1h/5m',
      'page 6x 6h/30m',
      'ticket 3x 1d/2h',
      'ticket 1x 3d/6h',
    ]);
  });

  it('counts latency as the share of answered checks at or under the threshold', async () => {
    const signals = history(
      (ago) => ago === 0,
      (ago) => (ago < 4 * 60 * MIN ? 900 : 200),
    );
    const fast = (
      await computeSloReport({ config, environment: 'production', history: signals, now: NOW, slo: 'fast' })
    ).slos[0]!;
    // One day: 144 checks, one of them down (not counted), the 23 others in the last 4h slow.
    expect(fast).toMatchObject({ total: 143, good: 120, bad: 23, percentileMs: 900 });
    expect(fast.budgetRemaining).toBeCloseTo(1 - 23 / 143 / 0.1, 6);
  });

  it('says there is no data rather than inventing a ratio', async () => {
    const report = await computeSloReport({
      config,
      environment: 'production',
      history: createMemorySignals(),
      now: NOW,
    });
    expect(report.slos[0]).toMatchObject({ total: 0, sli: null, budgetRemaining: null, burning: [] });
    expect(report.slos[0]!.burnRates['1h']).toBeNull();
  });
});
