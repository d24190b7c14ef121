import { describe, expect, it } from 'vitest';
import { createMemorySignals } from '../../test/support/alerts/memory-signals.js';
import { stackSchema } from '../config/schema.js';
import { measureRule } from './measure.js';
import type { AlertCondition, AlertRule } from './types.js';

const MIN = 60_000;
const NOW = 100 * MIN;

const rule = (condition: AlertCondition): AlertRule => ({
  id: 'r',
  service: 'api',
  condition,
  forMs: 0,
  keepFiringForMs: 0,
  repeatIntervalMs: 0,
  notice: 'warning',
  channels: [],
  labels: {},
});

const slo = stackSchema.parse({
  name: 'x',
  services: { api: { kind: 'web' } },
  slos: [{ id: 'avail', service: 'api', indicator: 'availability', objective: '99%' }],
}).slos[0]!;
const slos = new Map([['avail', slo]]);

/** One check per minute for `minutes` minutes up to NOW; `down(i)` says which fail. */
function history(
  minutes: number,
  down: (i: number) => boolean,
  latency = (_i: number) => 100,
  monitor = 'deep',
) {
  const signals = createMemorySignals();
  for (let i = 0; i < minutes; i++)
    signals.record('api', monitor, {
      at: NOW - (minutes - 1 - i) * MIN,
      outcome: down(i) ? 'down' : 'up',
      latencyMs: latency(i),
      ...(down(i) ? { reason: 'HTTP 503' } : {}),
    });
  return signals;
}

describe('measureRule', () => {
  it('consecutive failures: needs the newest N checks of one monitor to have failed', async () => {
    const r = rule({ kind: 'consecutive-failures', count: 3 });
    expect(
      (
        await measureRule(
          r,
          history(10, (i) => i >= 8),
          NOW,
          slos,
        )
      ).active,
    ).toBe(false);
    const firing = await measureRule(
      r,
      history(10, (i) => i >= 7),
      NOW,
      slos,
    );
    expect(firing).toMatchObject({ active: true, value: 1 });
    expect(firing.summary).toContain('3 failed checks in a row (deep: HTTP 503)');
  });

  it('down: the newest check of any monitor failed', async () => {
    const signals = history(5, () => false);
    signals.record('api', 'liveness', { at: NOW, outcome: 'down', latencyMs: 0 });
    expect((await measureRule(rule({ kind: 'down' }), signals, NOW, slos)).active).toBe(true);
    expect((await measureRule(rule({ kind: 'down' }), createMemorySignals(), NOW, slos)).active).toBe(false);
  });

  it('error rate: compares failed/total over the window, and says nothing below minSamples', async () => {
    const c: AlertCondition = { kind: 'error-rate', above: 0.05, windowMs: 10 * MIN, minSamples: 5 };
    // 1 of the last 10 failed: 10% > 5%.
    const busy = await measureRule(
      rule(c),
      history(30, (i) => i === 25),
      NOW,
      slos,
    );
    expect(busy).toMatchObject({ active: true, value: 0.1 });
    expect(busy.summary).toContain('error rate 10% over 10m (1 of 10 checks failed; threshold 5%)');
    // The failure left the window.
    expect(
      (
        await measureRule(
          rule(c),
          history(30, (i) => i === 15),
          NOW,
          slos,
        )
      ).active,
    ).toBe(false);
    const quiet = await measureRule(
      rule(c),
      history(3, () => true),
      NOW,
      slos,
    );
    expect(quiet).toMatchObject({ active: false });
    expect(quiet.summary).toContain('fewer than 5');
  });

  it('latency: the percentile of answered checks over the window against the threshold', async () => {
    const c: AlertCondition = {
      kind: 'latency',
      percentile: 95,
      aboveMs: 2000,
      windowMs: 20 * MIN,
      minSamples: 5,
    };
    const slow = await measureRule(
      rule(c),
      history(
        20,
        () => false,
        (i) => (i >= 17 ? 3000 : 100),
      ),
      NOW,
      slos,
    );
    expect(slow).toMatchObject({ active: true, value: 3000 });
    const fine = await measureRule(
      rule(c),
      history(
        20,
        () => false,
        (i) => (i === 19 ? 3000 : 100),
      ),
      NOW,
      slos,
    );
    expect(fine).toMatchObject({ active: false, value: 100 });
  });

  it('certificate: fires when the newest certificate expires within the threshold', async () => {
    const signals = createMemorySignals();
    signals.record('api', 'deep', {
      at: NOW,
      outcome: 'up',
      latencyMs: 50,
      certificateExpiresAt: NOW + 3 * 86_400_000,
    });
    const c = (days: number): AlertCondition => ({ kind: 'certificate', withinMs: days * 86_400_000 });
    expect(await measureRule(rule(c(7)), signals, NOW, slos)).toMatchObject({
      active: true,
      value: 3 * 86_400_000,
    });
    expect((await measureRule(rule(c(2)), signals, NOW, slos)).active).toBe(false);
  });

  it('burn rate: fires only when both windows of a pair burn faster than its factor', async () => {
    const c: AlertCondition = {
      kind: 'burn-rate',
      slo: 'avail',
      windows: [{ factor: 14.4, longMs: 60 * MIN, shortMs: 5 * MIN }],
      minSamples: 3,
    };
    // 99% objective: a 1% budget. 20 of the last 60 checks failed, all recently: 33x over 1h and 100x over 5m.
    const burning = await measureRule(
      rule(c),
      history(90, (i) => i >= 70),
      NOW,
      slos,
    );
    expect(burning.active).toBe(true);
    expect(burning.value).toBeCloseTo(33.3, 1);
    // The same failures an hour ago: the short window has recovered, so the page resets.
    const recovered = await measureRule(
      rule(c),
      history(90, (i) => i >= 30 && i < 50),
      NOW,
      slos,
    );
    expect(recovered.active).toBe(false);
  });
});
