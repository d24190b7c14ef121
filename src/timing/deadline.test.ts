import { describe, expect, it } from 'vitest';
import { cutoff, deadline } from './deadline.js';

describe('deadline', () => {
  it('aborts with a TimeoutError when the time runs out, and says so', async () => {
    const d = deadline(new AbortController().signal, 5);
    await new Promise((resolve) => d.signal.addEventListener('abort', resolve, { once: true }));
    expect(d.timedOut).toBe(true);
    expect((d.signal.reason as DOMException).name).toBe('TimeoutError');
    d.dispose();
  });

  it('aborts with the outer reason when the outer signal aborts first, before or after it was made', () => {
    const outer = new AbortController();
    const d = deadline(outer.signal, 60_000);
    outer.abort(new Error('stop'));
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut).toBe(false);
    expect((d.signal.reason as Error).message).toBe('stop');
    d.dispose();
    expect(deadline(outer.signal, 60_000).signal.aborted).toBe(true);
  });

  it('once disposed, neither the timer nor the outer signal aborts it', async () => {
    const outer = new AbortController();
    const d = deadline(outer.signal, 5);
    d.dispose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    outer.abort();
    expect(d.signal.aborted).toBe(false);
  });
});

describe('cutoff', () => {
  it('calls back once, timed out, when the time runs out', async () => {
    const calls: boolean[] = [];
    const outer = new AbortController();
    const c = cutoff(outer.signal, 5, (timedOut) => calls.push(timedOut));
    await new Promise((resolve) => setTimeout(resolve, 30));
    outer.abort();
    expect(calls).toEqual([true]);
    expect(c.timedOut).toBe(true);
  });

  it('calls back, not timed out, when the outer signal aborts, and at once when it already had', () => {
    const outer = new AbortController();
    const calls: string[] = [];
    const c = cutoff(outer.signal, 60_000, (timedOut) => calls.push(`first ${timedOut}`));
    outer.abort();
    expect(calls).toEqual(['first false']);
    expect(c.timedOut).toBe(false);
    cutoff(outer.signal, 60_000, (timedOut) => calls.push(`later ${timedOut}`));
    expect(calls).toEqual(['first false', 'later false']);
  });

  it('once disposed, neither the timer nor the outer signal calls back', async () => {
    const outer = new AbortController();
    const calls: boolean[] = [];
    cutoff(outer.signal, 5, (timedOut) => calls.push(timedOut)).dispose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    outer.abort();
    expect(calls).toEqual([]);
  });
});
