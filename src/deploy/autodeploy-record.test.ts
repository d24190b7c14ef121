import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { autoDeployTurnedOff } from './rollback-runs.js';
import { runDeploy } from './run-deploy.js';

/** A failing deploy rolled back over a platform whose auto-deploy is on for `on` and already off for the rest. */
async function rolledBack(on: Set<string>) {
  let rolled = false;
  const { options, platform, store } = await setup('', () => (rolled ? 'successful' : 'failed'));
  const r = await runDeploy({
    ...options,
    providerFor: (s) => {
      const p = platform.provider(s);
      return {
        ...p,
        rollback: async (id, ctx) => {
          rolled = true;
          return p.rollback(id, ctx);
        },
        setAutoDeploy: async (enabled) => {
          const was = on.has(s.name);
          if (enabled) on.add(s.name);
          else on.delete(s.name);
          return was !== enabled;
        },
      };
    },
  });
  expect(r.status).toBe('rolled-back');
  return autoDeployTurnedOff(store, (await store.getRun(r.runId!))!);
}

describe('auto-deploy after an automatic rollback', () => {
  it('records only the services whose auto-deploy opsbook switched off, so unlock switches on only those', async () => {
    const on = new Set(['api']);
    expect(await rolledBack(on)).toEqual(['api']);
    expect(on.size).toBe(0);
  });

  it('records nothing where auto-deploy was already off', async () => {
    expect(await rolledBack(new Set())).toEqual([]);
  });
});
