import { describe, expect, it } from 'vitest';
import { initialState, stepAlert } from './state-machine.js';
import type { AlertRule, AlertState, Observation, Transition } from './types.js';

const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'api-errors',
  service: 'api',
  condition: { kind: 'error-rate', above: 0.05, windowMs: 300_000, minSamples: 3 },
  forMs: 120_000,
  keepFiringForMs: 0,
  repeatIntervalMs: 4 * 3_600_000,
  notice: 'warning',
  channels: [],
  labels: { alertname: 'api-errors', service: 'api' },
  ...over,
});

const yes: Observation = { active: true, value: 0.2, summary: 'error rate 20%' };
const no: Observation = { active: false, value: 0, summary: 'error rate 0%' };

/** Steps through (time, observation) pairs and collects the transitions. */
function drive(r: AlertRule, steps: [number, Observation][]) {
  let state: AlertState = initialState();
  const seen: [number, Transition][] = [];
  for (const [t, obs] of steps) {
    const out = stepAlert(state, obs, r, t);
    state = out.state;
    if (out.transition) seen.push([t, out.transition]);
  }
  return { state, seen };
}

describe('stepAlert', () => {
  it('goes pending, then fires only once the condition held for the whole `for` duration', () => {
    const { seen, state } = drive(rule(), [
      [0, yes],
      [60_000, yes],
      [119_999, yes],
      [120_000, yes],
      [180_000, yes],
    ]);
    expect(seen).toEqual([
      [0, 'pending'],
      [120_000, 'firing'],
    ]);
    expect(state).toMatchObject({ status: 'firing', activeAt: 0, firedAt: 120_000 });
  });

  it('drops a pending alert back to inactive on one false evaluation and restarts the `for` timer', () => {
    const { seen } = drive(rule(), [
      [0, yes],
      [60_000, no],
      [90_000, yes],
      [180_000, yes],
      [210_000, yes],
    ]);
    expect(seen).toEqual([
      [0, 'pending'],
      [60_000, 'cleared'],
      [90_000, 'pending'],
      [210_000, 'firing'],
    ]);
  });

  it('fires on the first true evaluation when `for` is zero, and resolves on the first false one', () => {
    const { seen, state } = drive(rule({ forMs: 0 }), [
      [0, yes],
      [30_000, no],
    ]);
    expect(seen).toEqual([
      [0, 'firing'],
      [30_000, 'resolved'],
    ]);
    expect(state).toMatchObject({ status: 'inactive', firedAt: 0, resolvedAt: 30_000 });
  });

  it('keeps firing through clears shorter than keepFiringFor, then resolves', () => {
    const { seen } = drive(rule({ forMs: 0, keepFiringForMs: 90_000 }), [
      [0, yes],
      [30_000, no],
      [60_000, yes],
      [90_000, no],
      [120_000, no],
      [149_999, no],
      [150_000, no],
    ]);
    expect(seen).toEqual([
      [0, 'firing'],
      [150_000, 'resolved'],
    ]);
  });

  it('keeps the measured value and summary for the notification', () => {
    const { state } = drive(rule({ forMs: 0 }), [[0, yes]]);
    expect(state).toMatchObject({ value: 0.2, summary: 'error rate 20%' });
  });
});
