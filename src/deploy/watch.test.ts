import { describe, expect, it } from 'vitest';
import type { Provider, ProviderContext, ProviderDeploy } from '../providers/types.js';
import { createRedactor } from '../redact/index.js';
import { pollDelay, watchDeploy } from './watch.js';

describe('watchDeploy', () => {
  it('polls fast at first and backs off to the longest wait, on the injected clock', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    let polls = 0;
    const deploy = (state: ProviderDeploy['state']): ProviderDeploy => ({
      id: 'd1',
      state,
      createdAt: new Date(0).toISOString(),
    });
    const provider = {
      service: { name: 'api' },
      // Live on the tenth look.
      getDeploy: async () => deploy(++polls >= 10 ? 'live' : 'deploying'),
    } as unknown as Provider;
    const ctx = {
      signal: new AbortController().signal,
      log: () => {},
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      redactor: createRedactor(),
    } as unknown as ProviderContext;
    const result = await watchDeploy({
      provider,
      deployId: 'd1',
      ctx,
      signals: { success: () => false, trouble: () => false } as never,
      timeoutMs: 60_000,
      pollMs: 400,
      troubleIsFatal: false,
      external: (work) => work(),
    });
    expect(result.deploy.state).toBe('live');
    expect(sleeps).toEqual([50, 75, 113, 169, 253, 380, 400, 400]);
    expect(sleeps.map((_, i) => pollDelay(i, 2000)).slice(0, 3)).toEqual([50, 75, 113]);
  });

  it('waits through a provider that can notify, ends the wait when the deploy changes, and is not late', async () => {
    let clock = 0;
    const LIVE_AT = 130;
    const waits: { since: string; maxMs: number }[] = [];
    const state = (): ProviderDeploy => ({
      id: 'd1',
      state: clock >= LIVE_AT ? 'live' : 'deploying',
      createdAt: new Date(0).toISOString(),
      ...(clock >= LIVE_AT ? { finishedAt: new Date(LIVE_AT).toISOString() } : {}),
    });
    const provider = {
      service: { name: 'api' },
      getDeploy: async () => state(),
      // The platform answers when the deploy leaves `since`, or when the wait runs out.
      waitForChange: async (_id: string, since: string, maxMs: number) => {
        waits.push({ since, maxMs });
        clock = Math.min(clock + maxMs, LIVE_AT);
      },
    } as unknown as Provider;
    const result = await watchDeploy({ ...watchOptions(provider, () => clock), pollMs: 2000 });
    expect(result.deploy.state).toBe('live');
    // The adaptive schedule bounds each wait (50, 75 ms...), and the third wait ends at the change (t = 130 ms).
    expect(waits).toEqual([
      { since: 'deploying', maxMs: 50 },
      { since: 'deploying', maxMs: 75 },
      { since: 'deploying', maxMs: 113 },
    ]);
    expect(clock).toBe(LIVE_AT);
    expect(result.lateMs).toBe(0);
  });

  it('counts how long after the platform finished a sleeping watch saw it', async () => {
    let clock = 0;
    const provider = {
      service: { name: 'api' },
      // Finished at t = 60 ms; the polls come at 0, 50 and 125 ms.
      getDeploy: async (): Promise<ProviderDeploy> =>
        clock >= 60
          ? {
              id: 'd1',
              state: 'live',
              createdAt: new Date(0).toISOString(),
              finishedAt: new Date(60).toISOString(),
            }
          : { id: 'd1', state: 'deploying', createdAt: new Date(0).toISOString() },
    } as unknown as Provider;
    const result = await watchDeploy({
      ...watchOptions(
        provider,
        () => clock,
        (ms) => {
          clock += ms;
        },
      ),
      pollMs: 2000,
    });
    expect(clock).toBe(125);
    expect(result.lateMs).toBe(65);
  });
});

function watchOptions(provider: Provider, now: () => number, sleep: (ms: number) => void = () => {}) {
  const ctx = {
    signal: new AbortController().signal,
    log: () => {},
    now,
    sleep: async (ms: number) => sleep(ms),
    redactor: createRedactor(),
  } as unknown as ProviderContext;
  return {
    provider,
    deployId: 'd1',
    ctx,
    signals: { success: () => false, trouble: () => false } as never,
    timeoutMs: 60_000,
    troubleIsFatal: false,
    external: <T>(work: () => Promise<T>) => work(),
  };
}
