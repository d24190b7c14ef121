import { describe, expect, it } from 'vitest';
import type { FakePlatform } from '../../test/support/deploy/fake-provider.js';
import { holdAsKilled, setup } from '../../test/support/deploy/setup.js';
import { ProviderError } from '../errors.js';
import type { Store } from '../store/index.js';
import type { RunDeployOptions } from './context.js';
import { lockName } from './locks.js';
import { runDeploy } from './run-deploy.js';

/** Health follows what the platform serves: the new commit is broken when `bad`, the old one always answers. */
function healthOf(platform: FakePlatform, bad: boolean): RunDeployOptions['measure'] {
  return async (targets) =>
    targets.map((t) => {
      const live = platform.deploys.get(t.service.name)?.find((d) => d.state === 'live');
      const ok = !(bad && live?.commit === 'abc123');
      return {
        name: `${t.service.name}:readiness`,
        outcome: ok ? 'successful' : 'failed',
        detail: ok ? '200' : '503',
      };
    });
}

const killed = new Error('killed');

/**
 * SIGKILL in-process: at the crash point the store refuses every later write, as a dead process would make none,
 * and the lock's holder becomes a process that is gone. The e2e matrix (test/e2e/crash-matrix-*.test.ts) kills for real.
 */
async function scenario(bad: boolean, crashAt?: string) {
  const { options, platform, store } = await setup();
  let dead = false;
  const dying = new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (dead ? Promise.reject(killed) : value.apply(target, args));
    },
  }) as Store;
  const points: string[] = [];
  const opts: RunDeployOptions = {
    ...options,
    store: dying,
    measure: healthOf(platform, bad),
    checkpoint: (p) => {
      points.push(p);
      if (p === crashAt) {
        dead = true;
        throw killed;
      }
    },
  };
  const resume = async (with_: RunDeployOptions = opts) => {
    const [run] = await store.listRuns({ kind: 'deploy' });
    if (await store.getLock(lockName('production'))) await holdAsKilled(store, 'production', run!.id);
    dead = false;
    return { run: run!, result: await runDeploy({ ...with_, checkpoint: undefined, resumeRunId: run!.id }) };
  };
  return { opts, platform, store, points, resume };
}

async function pointsOf(bad: boolean): Promise<string[]> {
  const { opts, points } = await scenario(bad);
  await runDeploy(opts);
  return points;
}

const liveCommit = (platform: FakePlatform, service: string) =>
  platform.deploys.get(service)?.find((d) => d.state === 'live')?.commit;

describe('a deploy killed at any durable point resumes to the right verdict', () => {
  it('a failing deploy ends rolled back, the old release live, verified, and the environment locked', async () => {
    // Every point is killed for real in test/e2e/crash-matrix-*.test.ts; here the ones around the rollback.
    const points = [
      'after:deploy:api',
      'phase:deployed',
      'phase:rolling-back',
      'after:rollback:api',
      'restored',
    ];
    expect(await pointsOf(true)).toEqual(expect.arrayContaining(points));
    for (const point of points) {
      const { opts, platform, store, resume } = await scenario(true, point);
      await expect(runDeploy(opts), point).rejects.toThrow('killed');
      const { run, result: resumed } = await resume();
      expect(resumed.status, point).toBe('rolled-back');
      expect(resumed.state!.rollbackVerification?.outcome, point).toBe('successful');
      expect(liveCommit(platform, 'api'), point).toBe('old');
      expect((await store.getRun(run!.id))?.status, point).toBe('rolled-back');
      expect(await store.getLock(lockName('production')), point).toBeDefined();
    }
  });

  it('a passing deploy ends succeeded with the new release live and the lock released', async () => {
    const points = ['after:deploy:api', 'after:watch:worker', 'phase:verified', 'released'];
    expect(await pointsOf(false)).toEqual(expect.arrayContaining(points));
    for (const point of points) {
      const { opts, platform, store, resume } = await scenario(false, point);
      await expect(runDeploy(opts), point).rejects.toThrow('killed');
      const { result: resumed } = await resume();
      expect(resumed.status, point).toBe('succeeded');
      expect(liveCommit(platform, 'api'), point).toBe('abc123');
      expect(liveCommit(platform, 'worker'), point).toBe('abc123');
      expect(platform.calls.deploy, point).toBe(2);
      expect(await store.getLock(lockName('production')), point).toBeUndefined();
    }
  });

  it('adopts the deploy a killed run started even when the platform clock is a few seconds behind ours', async () => {
    const { opts, platform, resume } = await scenario(false);
    const behind: RunDeployOptions = {
      ...opts,
      providerFor: (s) => {
        const p = platform.provider(s);
        return {
          ...p,
          deploy: async (req, ctx) => {
            const started = await p.deploy(req, ctx);
            const stored = platform.deploys.get(s.name)![0]!;
            stored.createdAt = new Date(Date.parse(stored.createdAt) - 5_000).toISOString();
            // Killed after the platform took the deploy, before the run recorded it.
            if (s.name === 'api') throw killed;
            return started;
          },
        };
      },
    };
    await expect(runDeploy(behind)).rejects.toThrow('killed');
    const { result } = await resume();
    expect(result.status).toBe('succeeded');
    expect(platform.calls.deploy).toBe(2); // api once (adopted on resume), worker once
  });

  it('resumes with the release label the run started with', async () => {
    const { opts, platform, resume } = await scenario(false, 'before:deploy:api');
    const versions: (string | undefined)[] = [];
    const labelled: RunDeployOptions = {
      ...opts,
      providerFor: (s) => {
        const p = platform.provider(s);
        return {
          ...p,
          deploy: (req, ctx) => {
            versions.push(req.version);
            return p.deploy(req, ctx);
          },
        };
      },
    };
    await expect(runDeploy({ ...labelled, version: 'v7' })).rejects.toThrow('killed');
    await resume(labelled);
    expect(versions).toEqual(['v7', 'v7']);
  });
});

describe('before the lock', () => {
  it('records no run when it loses the lock race', async () => {
    const { options, store } = await setup();
    await store.acquireLock(lockName('production'), {
      holder: 'other on elsewhere pid 1',
      reason: 'deploy by bob',
    });
    // The lock looked free when checked; another deploy took it before this one could.
    const racing = { ...store, getLock: async () => undefined } as typeof store;
    const r = await runDeploy({ ...options, store: racing });
    expect(r.status).toBe('locked');
    expect(r.runId).toBeNull();
    expect(await store.listRuns({ kind: 'deploy' })).toEqual([]);
  });

  it('checks every provider before locking: a rejected token locks nothing and records no run', async () => {
    const { options, platform, store } = await setup();
    const r = await runDeploy({
      ...options,
      providerFor: (s) => {
        const p = platform.provider(s);
        if (s.name !== 'worker') return p;
        return {
          ...p,
          listDeploys: async () => {
            throw new ProviderError('render', 'Render API 401: unauthorized (check RENDER_API_KEY)', 401);
          },
        };
      },
    });
    expect(r.status).toBe('failed');
    expect(r.message).toContain('worker');
    expect(r.message).toContain('401');
    expect(platform.calls.deploy).toBe(0);
    expect(await store.getLock(lockName('production'))).toBeUndefined();
    expect(await store.listRuns({ kind: 'deploy' })).toEqual([]);
  });
});
