import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const options = { baseMs: 1_000, maxMs: 8_000 };
  const attempts = [1, 2, 3, 4, 5];

  it('doubles per attempt and stops at the cap', () => {
    expect(attempts.map((a) => backoffDelay(a, options))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('with equal jitter keeps at least half of the wait', () => {
    const low = attempts.map((a) => backoffDelay(a, { ...options, jitter: 'equal', random: () => 0 }));
    const high = attempts.map((a) => backoffDelay(a, { ...options, jitter: 'equal', random: () => 1 }));
    expect(low).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect(high).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('with full jitter may wait anything up to the wait', () => {
    expect(backoffDelay(3, { ...options, jitter: 'full', random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...options, jitter: 'full', random: () => 0.5 })).toBe(2_000);
  });

  it('grows by another factor and rounds to whole ms', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, { baseMs: 50, factor: 1.5, maxMs: 2_000 }))).toEqual([
      50, 75, 113,
    ]);
  });
});
