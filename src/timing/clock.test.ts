import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/clock.js';
import { pause } from './clock.js';

const ended = (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  return () => done;
};

describe('pause', () => {
  it('ends when its time has passed on the clock, not before, and leaves no timer', async () => {
    const clock = manualClock(0);
    const wait = pause(clock, 1_000, new AbortController().signal);
    const isDone = ended(wait.done);
    await clock.advance(999);
    expect(isDone()).toBe(false);
    await clock.advance(1);
    expect(isDone()).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('ends at once when woken or when the signal aborts (also one aborted already), clearing its timer', async () => {
    const clock = manualClock(0);
    const woken = pause(clock, 60_000, new AbortController().signal);
    woken.wake();
    await woken.done;
    const stop = new AbortController();
    const aborted = pause(clock, 60_000, stop.signal);
    stop.abort();
    await aborted.done;
    await pause(clock, 60_000, stop.signal).done;
    expect(clock.pending()).toBe(0);
    expect(clock.now()).toBe(0);
  });
});
