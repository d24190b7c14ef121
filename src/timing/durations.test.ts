import { describe, expect, it } from 'vitest';
import { formatElapsed, formatMs, formatRoughly, formatSpan } from './durations.js';

describe('duration formats', () => {
  it('writes a measured time in ms under a second, then in the largest unit with one decimal', () => {
    expect([230.4, 1_500, 150_000, 3 * 3_600_000, 36 * 3_600_000].map(formatMs)).toEqual([
      '230 ms',
      '1.5s',
      '2.5m',
      '3h',
      '1.5d',
    ]);
  });

  it("writes a deploy's elapsed time to the second", () => {
    expect([45_000, 89_400, 125_000, 15 * 60_000].map(formatElapsed)).toEqual([
      '45s',
      '89s',
      '2m 5s',
      '15m 0s',
    ]);
  });

  it('rounds a span in prose to the unit that matters, never below zero', () => {
    expect([42_000, 15 * 60_000, 2.5 * 3_600_000, -3_000].map(formatRoughly)).toEqual([
      '42s',
      '15m',
      '2.5h',
      '0s',
    ]);
  });

  it('writes a configured span back as the config writes it', () => {
    expect([90_000, 5 * 60_000, 3_600_000, 7 * 86_400_000].map(formatSpan)).toEqual([
      '90s',
      '5m',
      '1h',
      '7d',
    ]);
  });
});
