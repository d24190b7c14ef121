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
});
