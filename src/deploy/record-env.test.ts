import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { compareEnv, loadEnvFingerprint } from '../env-fingerprint/index.js';
import { runDeploy } from './run-deploy.js';

const TOKEN = 'tok_Wq8Zp3Lm6Xr2Vn9K'; // gitleaks:allow (a fake secret for this test)

describe('the env of a verified deploy', () => {
  it('is fingerprinted per service (hashes, never values) as the last good deploy', async () => {
    const { options, platform, store } = await setup();
    const env: Record<string, string> = { API_TOKEN: TOKEN, LOG_LEVEL: 'info' };
    const r = await runDeploy({
      ...options,
      providerFor: (s) => ({
        ...platform.provider(s),
        ...(s.name === 'api' ? { getEnv: async () => ({ ...env }) } : {}),
      }),
    });
    expect(r.status).toBe('succeeded');
    const f = await loadEnvFingerprint(store, 'production', 'api');
    expect(f).toMatchObject({ service: 'api', runId: r.runId });
    expect(JSON.stringify(f)).not.toContain(TOKEN);
    expect(Object.keys(f!.vars)).toEqual(['API_TOKEN', 'LOG_LEVEL']);
    expect((await compareEnv(f!, { ...env, LOG_LEVEL: 'debug' })).changed).toEqual(['LOG_LEVEL']);
    // The worker's provider cannot read env: nothing recorded, nothing claimed.
    expect(await loadEnvFingerprint(store, 'production', 'worker')).toBeUndefined();

    // The next verified deploy names what changed since this one (for incident timelines), never a value.
    env.LOG_LEVEL = 'debug';
    env.NEW_FLAG = 'on';
    const next = await runDeploy({
      ...options,
      providerFor: (s) => ({
        ...platform.provider(s),
        ...(s.name === 'api' ? { getEnv: async () => ({ ...env }) } : {}),
      }),
    });
    expect(next.status).toBe('succeeded');
    const events = (await store.listEvents(next.runId ?? '')).filter((e) => e.type === 'deploy.env-changed');
    expect(events.map((e) => [e.message, e.data])).toEqual([
      [
        `env of api changed since deploy ${r.runId}: changed LOG_LEVEL; added NEW_FLAG`,
        { service: 'api', since: r.runId, changed: ['LOG_LEVEL'], added: ['NEW_FLAG'], removed: [] },
      ],
    ]);
    expect(JSON.stringify(events)).not.toContain('debug');
    // Each value is dated: a changed or added one at this deploy (a rotation), an unchanged one from the first.
    const g = await loadEnvFingerprint(store, 'production', 'api');
    expect(g?.since).toEqual({
      API_TOKEN: { runId: r.runId, at: f!.recordedAt, rotated: false },
      LOG_LEVEL: { runId: next.runId, at: g!.recordedAt, rotated: true },
      NEW_FLAG: { runId: next.runId, at: g!.recordedAt, rotated: true },
    });
  });

  it('is not recorded when verification fails: the last good deploy stays the previous one', async () => {
    const { options, platform, store } = await setup('', () => 'failed');
    const r = await runDeploy({
      ...options,
      providerFor: (s) => ({ ...platform.provider(s), getEnv: async () => ({ LOG_LEVEL: 'info' }) }),
    });
    expect(r.status).not.toBe('succeeded');
    expect(await loadEnvFingerprint(store, 'production', 'api')).toBeUndefined();
  });
});
