import { describe, expect, it } from 'vitest';
import { type CheckOutcome, combine, measurementDetail, runAnalysis } from './analysis.js';

function script(outcomes: CheckOutcome['outcome'][]) {
  let i = 0;
  let clock = 0;
  const slept: number[] = [];
  return {
    slept,
    options: {
      measure: async () => ({
        checks: [{ name: 'ready', outcome: outcomes[i++] ?? 'successful', detail: 'x' }],
      }),
      intervalMs: 1000,
      sleep: async (ms: number) => {
        slept.push(ms);
        clock += ms;
      },
      now: () => clock,
    },
    taken: () => i,
  };
}

describe('runAnalysis', () => {
  it('succeeds when failures stay within the limit', async () => {
    const s = script(['successful', 'failed', 'successful', 'successful']);
    const r = await runAnalysis({ ...s.options, count: 4, failureLimit: 1, inconclusiveLimit: 1 });
    expect(r.outcome).toBe('successful');
    expect(r.measurements).toHaveLength(4);
    expect(s.slept).toEqual([1000, 1000, 1000]);
  });

  it('fails as soon as failures pass the limit, without waiting out the window', async () => {
    const s = script(['failed', 'failed', 'failed', 'successful', 'successful']);
    const r = await runAnalysis({ ...s.options, count: 5, failureLimit: 1, inconclusiveLimit: 2 });
    expect(r.outcome).toBe('failed');
    expect(s.taken()).toBe(2);
    expect(r.reason).toContain('2 failed measurement(s), limit 1');
    expect(r.decidedAt).toBe(1000);
  });

  it('pauses for a person when inconclusive measurements pass their limit', async () => {
    const s = script(['inconclusive', 'inconclusive']);
    const r = await runAnalysis({ ...s.options, count: 5, failureLimit: 2, inconclusiveLimit: 1 });
    expect(r.outcome).toBe('inconclusive');
  });

  it('fails after more consecutive errors than allowed, but forgives errors between good measurements', async () => {
    const flaky = script(['error', 'successful', 'error', 'successful', 'error']);
    expect(
      (
        await runAnalysis({
          ...flaky.options,
          count: 5,
          failureLimit: 0,
          inconclusiveLimit: 0,
          consecutiveErrorLimit: 1,
        })
      ).outcome,
    ).toBe('successful');
    const broken = script(['error', 'error', 'error']);
    expect(
      (
        await runAnalysis({
          ...broken.options,
          count: 5,
          failureLimit: 0,
          inconclusiveLimit: 0,
          consecutiveErrorLimit: 1,
        })
      ).outcome,
    ).toBe('failed');
  });

  it('stops when aborted', async () => {
    const s = script(['successful', 'successful']);
    const controller = new AbortController();
    controller.abort();
    await expect(
      runAnalysis({
        ...s.options,
        count: 2,
        failureLimit: 0,
        inconclusiveLimit: 0,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
  });

  it('rates a measurement by its worst check', () => {
    const c = (outcome: CheckOutcome['outcome']) => ({ name: 'x', outcome, detail: '' });
    expect(combine([c('successful'), c('inconclusive')])).toBe('inconclusive');
    expect(combine([c('inconclusive'), c('failed'), c('error')])).toBe('failed');
    expect(combine([])).toBe('inconclusive');
  });

  it('never calls a window that could not have failed a success', async () => {
    const s = script(['successful', 'successful']);
    const r = await runAnalysis({ ...s.options, count: 2, failureLimit: 2, inconclusiveLimit: 2 });
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('cannot exceed the failure limit of 2');
  });

  it('is inconclusive, not successful, when no measurement was good', async () => {
    const s = script(['inconclusive', 'inconclusive', 'inconclusive']);
    const r = await runAnalysis({ ...s.options, count: 3, failureLimit: 0, inconclusiveLimit: 3 });
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('no good measurement');
  });

  it('fails a single failed measurement of a one-measurement window with a limit of 0, and is inconclusive with a higher limit', async () => {
    expect(
      (await runAnalysis({ ...script(['failed']).options, count: 1, failureLimit: 0, inconclusiveLimit: 0 }))
        .outcome,
    ).toBe('failed');
    expect(
      (await runAnalysis({ ...script(['failed']).options, count: 1, failureLimit: 2, inconclusiveLimit: 2 }))
        .outcome,
    ).toBe('inconclusive');
  });

  it('stops at once, saying why, when there is nothing to measure', async () => {
    const slept: number[] = [];
    const r = await runAnalysis({
      measure: async () => ({ checks: [] }),
      intervalMs: 15_000,
      count: 8,
      failureLimit: 2,
      inconclusiveLimit: 2,
      sleep: async (ms) => void slept.push(ms),
      now: () => 0,
    });
    expect(r.outcome).toBe('inconclusive');
    expect(r.reason).toContain('nothing to measure');
    expect(slept).toEqual([]);
  });
});

describe('measurementDetail', () => {
  const check = (name: string, outcome: CheckOutcome['outcome'], detail = '-') => ({ name, outcome, detail });
  it('names the checks that did not pass, else counts those that did, and says when none ran', () => {
    expect(measurementDetail([check('a', 'successful'), check('b', 'failed', 'status 503')])).toBe(
      'b: status 503',
    );
    expect(measurementDetail([check('a', 'successful'), check('b', 'successful')])).toBe('2 check(s) passed');
    expect(measurementDetail([])).toBe('no check ran');
  });
});
