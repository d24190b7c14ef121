import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePlatform, type FakePlatform, seedLive } from '../../test/support/deploy/fake-provider.js';
import { setup as deployRunSetup, holdAsKilled } from '../../test/support/deploy/setup.js';
import { validateConfigText } from '../config/validate.js';
import { ProviderError } from '../errors.js';
import { createProviderContext } from '../providers/context.js';
import { createRedactor } from '../redact/index.js';
import { openStore, type Store } from '../store/index.js';
import type { CheckOutcome } from '../verify/analysis.js';
import { lockName } from './locks.js';
import { type RollbackOptions, rollbackEnvironment } from './manual-rollback.js';
import { runDeploy } from './run-deploy.js';

const YAML = `name: shop
environments: { production: { protected: true } }
services:
  api: { kind: web, provider: { type: command, deploy: "true" } }
  web: { kind: web, provider: { type: command, deploy: "true" } }
`;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(measured: CheckOutcome['outcome'] | 'nothing' = 'successful') {
  const { config, diagnostics } = validateConfigText(YAML, 'opsbook.yaml');
  if (!config) throw new Error(JSON.stringify(diagnostics));
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-rollback-'));
  const store: Store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
  cleanup.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const platform = createFakePlatform();
  seedLive(platform, 'api');
  seedLive(platform, 'web');
  const options: RollbackOptions = {
    config,
    environment: 'production',
    store,
    actor: 'alice',
    providerFor: (s) => platform.provider(s),
    providerCtx: createProviderContext({ cwd: dir, sleep: async () => {} }),
    measure: async (targets) =>
      measured === 'nothing'
        ? []
        : targets.map((t) => ({ name: `${t.service.name}:readiness`, outcome: measured, detail: '-' })),
  };
  const rollback = (to: string) => rollbackEnvironment({ ...options, services: ['api'], to });
  return { store, platform, rollback, options };
}

/** Two deploys per service: the current one (live) and an earlier one to go back to. */
function withHistory(platform: FakePlatform) {
  for (const name of ['api', 'web'])
    platform.deploys.get(name)?.push({ id: `dep-${name}-old`, state: 'superseded', createdAt: '2025-12-01' });
}

describe('rollbackEnvironment', () => {
  it('refuses, recording no run, when the environment has no deployable service to roll back', async () => {
    const { options, store } = await setup();
    const { config } = validateConfigText(
      'name: shop\nservices:\n  db: { kind: database }\n',
      'opsbook.yaml',
    );
    await expect(rollbackEnvironment({ ...options, config: config! })).rejects.toThrow(
      'nothing to roll back in production',
    );
    expect(await store.listRuns({ kind: 'rollback', environment: 'production', limit: 5 })).toEqual([]);
  });

  it('does not lock the environment when nothing was rolled back (a mistyped --to)', async () => {
    const { store, platform, rollback } = await setup();
    const result = await rollback('dep-api-typo');
    expect(result.status).toBe('failed');
    expect(result.services[0]?.error).toContain('dep-api-typo');
    expect(platform.deploys.get('api')?.[0]?.id).toBe('dep-api-0');
    expect(await store.getLock(lockName('production'))).toBeUndefined();
  });

  it('refuses --to the deploy that serves now, instead of calling it rolled back, and locks nothing', async () => {
    const { store, rollback } = await setup();
    const result = await rollback('dep-api-0');
    expect(result.status).toBe('failed');
    expect(result.services[0]?.error).toContain('dep-api-0 is the deploy that serves now');
    expect(await store.getLock(lockName('production'))).toBeUndefined();
  });

  it('keeps a lock it found, with its reason, when nothing was rolled back', async () => {
    const { store, rollback } = await setup();
    await store.acquireLock(lockName('production'), { holder: 'someone on host pid 1', reason: 'freeze' });
    await rollback('dep-api-typo');
    expect((await store.getLock(lockName('production')))?.reason).toBe('freeze');
  });

  it('locks the environment after a rollback that changed a service', async () => {
    const { store, platform, rollback } = await setup();
    platform.deploys.get('api')?.push({ id: 'dep-api-old', state: 'superseded', createdAt: '2025-12-01' });
    const result = await rollback('dep-api-old');
    expect(result.services[0]?.error).toBeUndefined();
    expect((await store.getLock(lockName('production')))?.reason).toContain('rolled back by alice');
  });

  it("does not call it rolled back when the platform's rollback deploy failed or never finished", async () => {
    for (const state of ['failed', 'deploying'] as const) {
      const { platform, options } = await setup();
      withHistory(platform);
      const result = await rollbackEnvironment({
        ...options,
        services: ['api'],
        to: 'dep-api-old',
        providerFor: (s) => {
          const p = platform.provider(s);
          return { ...p, rollback: async (id, ctx) => ({ ...(await p.rollback(id, ctx)), state }) };
        },
      });
      expect(result.status, state).toBe('failed');
      expect(result.services[0]?.error, state).toContain(state);
    }
  });

  it('does not go back to a release that a rollback already moved away from', async () => {
    const { options, platform, store } = await deployRunSetup();
    expect((await runDeploy({ ...options, commit: 'good' })).status).toBe('succeeded');
    expect((await runDeploy({ ...options, commit: 'bad' })).status).toBe('succeeded');
    const again: RollbackOptions = {
      config: options.config,
      environment: 'production',
      store,
      actor: 'alice',
      services: ['api'],
      providerFor: options.providerFor,
      providerCtx: createProviderContext({ cwd: options.cwd, sleep: async () => {} }),
      measure: options.measure,
    };
    const live = () => platform.deploys.get('api')?.find((d) => d.state === 'live')?.commit;
    // The release of 'bad' passed verification, then a person found it broken and rolled it back.
    expect((await rollbackEnvironment(again)).status).toBe('rolled-back');
    expect(live()).toBe('good');
    // A second rollback (a retry, or to go further back) must not put the release it undid back live.
    await rollbackEnvironment(again);
    expect(live()).not.toBe('bad');
  });

  it('records and locks nothing when the platform cannot list the deploys to choose from', async () => {
    const { store, platform, options } = await setup();
    await store.acquireLock(lockName('production'), { holder: 'someone on host pid 1', reason: 'freeze' });
    const refusing: RollbackOptions = {
      ...options,
      providerFor: (s) => ({
        ...platform.provider(s),
        listDeploys: async () => {
          throw new ProviderError('render', 'render: GET /deploys failed with HTTP 401', 401);
        },
      }),
    };
    await expect(rollbackEnvironment(refusing)).rejects.toThrow('HTTP 401');
    expect(await store.listRuns({ kind: 'rollback' })).toEqual([]);
    expect((await store.getLock(lockName('production')))?.reason).toBe('freeze');
    expect(platform.calls.rollback).toBe(0);
  });

  it('does not call a rollback nobody could measure a success', async () => {
    const { store, platform, rollback } = await setup('nothing');
    platform.deploys.get('api')?.push({ id: 'dep-api-old', state: 'superseded', createdAt: '2025-12-01' });
    const result = await rollback('dep-api-old');
    expect(result.status).toBe('failed');
    expect(result.message).toContain('not verified');
    expect(await store.getLock(lockName('production'))).toBeDefined();
  });

  it('resumes a killed rollback with the targets it chose, without rolling a service back twice', async () => {
    const { store, platform, options } = await setup();
    withHistory(platform);
    const killed = new Error('killed');
    // The process dies while rolling back web, after api was rolled back and recorded.
    const dying: RollbackOptions = {
      ...options,
      providerFor: (s) => {
        const p = platform.provider(s);
        return s.name === 'web' ? { ...p, rollback: async () => Promise.reject(killed) } : p;
      },
      store: new Proxy(store, {
        get(target, key) {
          const value = Reflect.get(target, key);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const summary = (args[1] as { summary?: { services?: { service: string }[] } })?.summary;
            if (key === 'updateRun' && summary?.services?.some((r) => r.service === 'web'))
              return Promise.reject(killed);
            return value.apply(target, args);
          };
        },
      }),
    };
    await expect(rollbackEnvironment(dying)).rejects.toThrow('killed');
    const [run] = await store.listRuns({ kind: 'rollback' });
    expect(run?.status).toBe('running');
    await holdAsKilled(store, 'production', run!.id);

    await expect(rollbackEnvironment(options)).rejects.toThrow('cut short');
    const before = platform.calls.rollback;
    const resumed = await rollbackEnvironment({ ...options, resume: true });
    expect(resumed.status).toBe('rolled-back');
    expect(resumed.runId).toBe(run!.id);
    expect(platform.calls.rollback - before).toBe(1); // web only
    expect(resumed.services.map((r) => [r.service, r.to])).toEqual([
      ['api', 'dep-api-old'],
      ['web', 'dep-web-old'],
    ]);
    expect((await store.getRun(run!.id))?.status).toBe('rolled-back');
    expect((await store.getLock(lockName('production')))?.reason).toContain('rolled back by alice');
  });
});
