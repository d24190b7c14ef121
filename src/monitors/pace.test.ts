import { describe, expect, it } from 'vitest';
import { createPaceTracker } from './pace.js';

describe('createPaceTracker', () => {
  it('says behind when more than 1% of a window started late, and keeps up again after a good window', () => {
    const pace = createPaceTracker(10_000);
    expect(pace.state(0)).toBeUndefined();
    // Window 1: 200 checks, 3 of them 2 s late (late: over max(1 s, interval / 10)).
    for (let i = 0; i < 200; i++) pace.record(i < 3 ? 2_000 : 20, 10_000, i * 40);
    expect(pace.state(10_000)).toMatchObject({ behind: true, worstLagMs: 2_000, checksPerSecond: 20 });
    // Window 2: lags under the bar for a 30 s interval (3 s) do not count as late.
    for (let i = 0; i < 100; i++) pace.record(2_500, 30_000, 10_000 + i * 50);
    expect(pace.state(20_000)).toMatchObject({ behind: false, lateShare: 0, worstLagMs: 2_500 });
  });

  it('counts slots skipped while a check outlasted its interval as missed checks, not as keeping up', () => {
    const pace = createPaceTracker(10_000);
    // 100 checks on time, but each of 10 monitors also skipped 24 slots: checks of 25 s at a 1 s interval.
    for (let i = 0; i < 100; i++) pace.record(20, 1_000, i * 100);
    for (let i = 0; i < 10; i++) pace.skip(24, 5_000 + i);
    expect(pace.state(10_000)).toMatchObject({ behind: true, skipped: 240 });
    expect(pace.state(10_000)!.lateShare).toBeCloseTo(240 / 340);
  });

  it('calls a window in which nothing started while a check waited past its due time a stall', () => {
    let waiting: number | undefined = 2_000;
    const pace = createPaceTracker(10_000, () => waiting);
    pace.record(10, 1_000, 0);
    expect(pace.state(10_000)).toMatchObject({ behind: true, worstLagMs: 8_000 });
    // No check starts from 10 to 20 s, while one has waited since 2 s: 18 s late, not 'no figures'.
    expect(pace.state(20_000)).toMatchObject({ behind: true, worstLagMs: 18_000, checksPerSecond: 0 });
    // A quiet window with nothing waiting (long intervals) has no figures.
    waiting = undefined;
    expect(pace.state(30_000)).toBeUndefined();
  });
});
