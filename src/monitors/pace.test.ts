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
});
