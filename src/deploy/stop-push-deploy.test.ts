import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import type { ProviderDeploy } from '../providers/types.js';
import { runDeploy } from './run-deploy.js';

/** A push-triggered stack whose gate fails while the platform builds the pushed commit (abc1234567) for api. */
async function failingGateDuringPushBuild(canCancel: boolean) {
  const { options, platform, store } = await setup('  trigger: push\n');
  const building: ProviderDeploy = {
    id: 'dep-api-push',
    state: 'building',
    commit: 'abc1234567',
    trigger: 'push',
    createdAt: new Date().toISOString(),
  };
  platform.deploys.get('api')!.unshift(building);
  const canceled: string[] = [];
  const r = await runDeploy({
    ...options,
    commit: 'abc1234567',
    config: { ...options.config, gates: [{ id: 'tests', run: 'false', required: true, timeout: '1m' }] },
    runGates: async () => ({ passed: false, summary: 'tests: `npm test` exited 1' }),
    providerFor: (s) => {
      const { cancel: _, ...p } = platform.provider(s);
      return canCancel
        ? {
            ...p,
            cancel: async (id: string) => {
              canceled.push(id);
              building.state = 'canceled';
            },
          }
        : p;
    },
  });
  const events = await store.listEvents(r.runId!);
  return { r, canceled, events };
}

describe('a gate fails while the platform builds the pushed commit', () => {
  it('cancels the platform deploy where the provider can', async () => {
    const { r, canceled, events } = await failingGateDuringPushBuild(true);
    expect(r.status).toBe('failed');
    expect(canceled).toEqual(['dep-api-push']);
    expect(r.message).toContain('canceled the platform deploy dep-api-push of abc1234567');
    expect(events.some((e) => e.type === 'deploy.push-build')).toBe(true);
  });

  it('says plainly that the platform deploys it anyway where it cannot cancel', async () => {
    const { r, canceled } = await failingGateDuringPushBuild(false);
    expect(r.status).toBe('failed');
    expect(canceled).toEqual([]);
    expect(r.message).toContain(
      'api: the platform is deploying abc1234567 anyway (deploy dep-api-push, building)',
    );
  });

  it('does not stay silent when the platform has not started the push deploy yet: it still may', async () => {
    const { options } = await setup('  trigger: push\n');
    const r = await runDeploy({
      ...options,
      commit: 'abc1234567',
      config: { ...options.config, gates: [{ id: 'tests', run: 'false', required: true, timeout: '1m' }] },
      runGates: async () => ({ passed: false, summary: 'tests: `npm test` exited 1' }),
    });
    expect(r.status).toBe('failed');
    expect(r.message).toContain('api: no platform deploy of abc1234567 yet');
    expect(r.message).toContain('may still start one for the push');
  });
});
