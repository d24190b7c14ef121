import { describe, expect, it } from 'vitest';
import { deadline } from './deadline.js';

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
