import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { ProviderError } from '../errors.js';
import { lockName } from './locks.js';
import { runDeploy } from './run-deploy.js';

describe('runDeploy', () => {
  it('deploys dependencies first, verifies over the bake window, records the run and releases the lock', async () => {
    const { options, platform, store } = await setup();
    const order: string[] = [];
    const r = await runDeploy({
      ...options,
      onProgress: (p) => p.type === 'service' && p.message === 'deploying' && order.push(p.service),
    });
    expect(r.status).toBe('succeeded');
    expect(r.plan.groups).toEqual([['api'], ['worker']]);
    expect(order).toEqual(['api', 'worker']);
    expect(r.state!.verification).toMatchObject({ outcome: 'successful', measurements: 4 });
    expect(platform.calls.deploy).toBe(2);
    expect(await store.getLock(lockName('production'))).toBeUndefined();
    const run = await store.getRun(r.runId!);
    expect(run).toMatchObject({ kind: 'deploy', status: 'succeeded', actor: 'alice' });
    const steps = (await store.listSteps(r.runId!)).map((s) => s.name);
    expect(steps).toEqual(['deploy:api', 'watch:api', 'deploy:worker', 'watch:worker']);
  });

  it('rolls back automatically when verification fails, verifies the rollback, and keeps the environment locked', async () => {
    // The new release fails readiness; after the rollback the old one answers again.
    let rolledBack = false;
    let returnedAt = 0;
    const { options, platform, store } = await setup('', () => (rolledBack ? 'successful' : 'failed'));
    const r = await runDeploy({
      ...options,
      providerFor: (s) => {
        const p = platform.provider(s);
        return {
          ...p,
          rollback: async (id, ctx) => {
            rolledBack = true;
            const back = await p.rollback(id, ctx);
            returnedAt = ctx.now();
            return back;
          },
          // What follows the rollback call takes time: traffic was back before it.
          setAutoDeploy: async (enabled, ctx) => {
            await ctx.sleep(1_500);
            return p.setAutoDeploy?.(enabled, ctx);
          },
        };
      },
    });
    expect(r.status).toBe('rolled-back');
    expect(Date.parse(r.state!.times.trafficRestoredAt!)).toBe(returnedAt);
    expect(r.state!.services.api!.rollback).toMatchObject({ state: 'live', trigger: 'rollback' });
    expect(r.state!.rollbackVerification?.outcome).toBe('successful');
    expect(r.state!.verification?.measurements).toBe(2); // stopped at the failure limit, not the whole window
    expect(platform.calls.autoDeploy).toEqual([false, false]);
    const lock = await store.getLock(lockName('production'));
    expect(lock?.reason).toContain("'opsbook unlock'");
    const again = await runDeploy(options);
    expect(again.status).toBe('locked');
  });

  it("does not call it rolled back when the platform's rollback deploy itself failed", async () => {
    // Render, Railway, Fly and Heroku roll back through a new deploy, which can fail while the bad release serves on.
    let rolledBack = false;
    const { options, platform, store } = await setup('', () => (rolledBack ? 'successful' : 'failed'));
    const r = await runDeploy({
      ...options,
      providerFor: (s) => {
        const p = platform.provider(s);
        return {
          ...p,
          rollback: async (id, ctx) => {
            rolledBack = true;
            const back = await p.rollback(id, ctx);
            return { ...back, state: 'failed', reason: 'the new instances did not become healthy' };
          },
        };
      },
    });
    expect(r.status).toBe('failed');
    expect(r.state!.services.api!.state).toBe('rollback-failed');
    expect(r.state!.services.api!.reason).toContain('did not become healthy');
    expect((await store.getLock(lockName('production')))?.reason).toContain('incomplete');
  });

  it('watches a deploy to live when the platform refuses its log lines, and says the lines went unread', async () => {
    const { options, platform } = await setup();
    const r = await runDeploy({
      ...options,
      providerFor: (s) => ({
        ...platform.provider(s),
        logs: async () => {
          throw new ProviderError('render', 'render: GET /logs failed with HTTP 403: forbidden', 403);
        },
      }),
    });
    expect(r.state!.services.api!.state).toBe('live');
    expect(r.state!.services.worker!.state).toBe('live');
    expect(r.state!.issues?.join('\n')).toContain('api: log lines could not be read');
    // The success line api declares was never seen: a person decides, nobody rolls back a release that answers.
    expect(r.status).toBe('paused');
    expect(r.state!.services.api!.rollback).toBeNull();
  });

  it('records traffic as restored when the web service is back, not after a slow worker restart', async () => {
    let rolledBack = false;
    const returned: Record<string, number> = {};
    let apiBack: () => void = () => {};
    const apiIsBack = new Promise<void>((r) => {
      apiBack = r;
    });
    const { options, platform } = await setup('', () => (rolledBack ? 'successful' : 'failed'));
    const r = await runDeploy({
      ...options,
      providerFor: (s) => {
        const p = platform.provider(s);
        return {
          ...p,
          rollback: async (id, ctx) => {
            rolledBack = true;
            // The worker's restart ends well after the api's proxy switched back.
            if (s.name === 'worker') {
              await apiIsBack;
              // One turn of the event loop lets the run take note of the api's return before this test clock jumps.
              await new Promise((r) => setImmediate(r));
              await ctx.sleep(3_000);
            }
            const back = await p.rollback(id, ctx);
            returned[s.name] = ctx.now();
            if (s.name === 'api') apiBack();
            return back;
          },
        };
      },
    });
    expect(r.status).toBe('rolled-back');
    expect(Object.keys(returned).sort()).toEqual(['api', 'worker']);
    expect(returned.worker).toBeGreaterThan(returned.api!);
    expect(Date.parse(r.state!.times.trafficRestoredAt!)).toBe(returned.api);
  });

  it('stops at a failed build without touching later groups, and leaves the previous release serving', async () => {
    const { options, platform } = await setup();
    platform.failNext.add('api');
    const r = await runDeploy(options);
    expect(r.status).toBe('failed');
    expect(r.message).toContain('build failed');
    expect(platform.calls.deploy).toBe(1);
    expect(platform.calls.rollback).toBe(0);
    expect(r.locked).toBe(false);
  });

  it('says a release that failed verification went live and serves, when nothing served before it to roll back to', async () => {
    const { options, platform } = await setup('', () => 'failed');
    // A first deploy, or one whose earlier release no longer runs: no live deploy before this run.
    platform.deploys.clear();
    const r = await runDeploy(options);
    expect(r.status).toBe('failed');
    expect(platform.calls.rollback).toBe(0);
    expect(r.message).not.toContain('nothing went live');
    expect(r.message).toContain('api, worker went live and still serve: no release served before');
  });

  it('does not claim a previous release still serves when a first deploy fails before going live', async () => {
    const { options, platform } = await setup();
    platform.deploys.clear();
    platform.failNext.add('api');
    const r = await runDeploy(options);
    expect(r.status).toBe('failed');
    expect(r.message).not.toContain('previous release still serves');
    expect(r.message).toContain('nothing went live, and no release served before it');
  });

  it('cancels a deploy still running at the deploy timeout, so it cannot go live after the run said it failed', async () => {
    const { options, platform } = await setup();
    const canceled: string[] = [];
    const stuck = (cancel: boolean) => (s: Parameters<typeof options.providerFor>[0]) => {
      const p = platform.provider(s);
      return {
        ...p,
        // The platform is still building when the timeout comes (it would go live a moment later).
        getDeploy: async (id: string, ctx: Parameters<typeof p.getDeploy>[1]) => ({
          ...(await p.getDeploy(id, ctx)),
          state: 'building' as const,
        }),
        ...(cancel ? { cancel: async (id: string) => void canceled.push(id) } : {}),
      };
    };
    const config = { ...options.config, deploy: { ...options.config.deploy, timeout: '1s' } };
    const r = await runDeploy({ ...options, config, providerFor: stuck(true) });
    expect(r.status).toBe('failed');
    expect(canceled).toEqual(['dep-api-2']);
    expect(r.message).toContain('canceled deploy dep-api-2');
    const again = await runDeploy({ ...options, config, providerFor: stuck(false) });
    expect(again.message).toContain('cannot cancel it: it may still go live');
  });

  it('treats a trouble line in the logs as a failure when the policy says so', async () => {
    const { options, platform } = await setup(`  rollback: { on: [trouble-log, health-failed] }\n`);
    platform.nextLogs.set('api', ['listening on :3000', 'FATAL: Database connection failed']);
    const r = await runDeploy(options);
    expect(r.status).toBe('rolled-back');
    expect(r.state!.failure?.trigger).toBe('trouble-log');
    expect(r.state!.services.api!.troubleLines[0]).toContain('Database connection failed');
  });

  it('pauses for a person instead of succeeding when a trouble line shows that no criterion or trigger decides', async () => {
    const { options, platform } = await setup();
    platform.nextLogs.set('api', ['listening on :3000', 'FATAL: Database connection failed']);
    const r = await runDeploy(options);
    expect(r.status).toBe('paused');
    expect(r.message).toContain('trouble in the logs that no rollback criterion decides: api: FATAL');
  });

  it('masks the env contract secrets in what the run records, from the first line', async () => {
    const { options, platform, store } = await setup(`  rollback: { on: [trouble-log, health-failed] }\n`);
    const secret = 'tok_live_Zt8Vw4Nc6Xb0Lm3K'; // gitleaks:allow (a fake secret for this test)
    platform.nextLogs.set('api', [`FATAL: rejected key ${secret}`]);
    const r = await runDeploy({ ...options, env: { API_TOKEN: secret } });
    expect(r.state!.services.api!.troubleLines[0]).toContain('rejected key');
    // The result stays raw for the caller; the store and everything printed through the redactor are masked.
    const recorded = JSON.stringify([await store.getRun(r.runId!), await store.listEvents(r.runId!)]);
    expect(recorded).toContain('rejected key');
    expect(recorded).not.toContain(secret);
    expect(options.redactor.redact(r.message)).not.toContain(secret);
  });

  it('keeps the release when a matching rollback criterion says ignore', async () => {
    const extra = `rollback:\n  criteria:\n    - { reason: "Minor UI issues", action: ignore, checks: [api:readiness] }\n`;
    const { options } = await setup(extra, () => 'failed');
    const r = await runDeploy(options);
    expect(r.status).toBe('failed');
    expect(r.message).toContain('Minor UI issues');
  });

  it('asks a person when a rollback criterion says ask', async () => {
    const extra = `rollback:\n  criteria:\n    - { reason: "Payment processing failures", action: ask, checks: [api:readiness] }\n`;
    const { options } = await setup(extra, (n) => (n < 2 ? 'failed' : 'successful'));
    const questions: string[] = [];
    const r = await runDeploy({
      ...options,
      ask: async (q) => {
        questions.push(q);
        return true;
      },
    });
    expect(questions[0]).toContain('Payment processing failures');
    expect(r.status).toBe('rolled-back');
    expect(r.state!.rollback?.decidedBy).toBe('alice');
  });

  it('pauses for a person on inconclusive verification when nobody can answer', async () => {
    const { options, store } = await setup('', () => 'inconclusive');
    const r = await runDeploy(options);
    expect(r.status).toBe('paused');
    expect((await store.getRun(r.runId!))?.status).toBe('paused');
    expect(await store.getLock(lockName('production'))).toBeDefined();
  });

  it('is not held up by an announcement channel that never answers', async () => {
    const hanging = createServer(() => {
      // never answers
    });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
    const extra = `announcements: { channels: [hook] }\nchannels:\n  hook: { type: webhook, url: "${url}" }\n`;
    const { options } = await setup(extra);
    try {
      const r = await runDeploy({ ...options, announceGraceMs: 200 });
      expect(r.status).toBe('succeeded');
      const sent = r.state!.announcements;
      expect(sent.map((a) => a.event).sort()).toEqual(['start', 'success']);
      expect(sent.every((a) => !a.ok)).toBe(true);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('refuses a second deploy while one holds the lock', async () => {
    const { options, store } = await setup();
    await store.acquireLock(lockName('production'), {
      holder: 'someone-else on elsewhere pid 1',
      reason: 'deploy by bob',
    });
    const r = await runDeploy(options);
    expect(r.status).toBe('locked');
    expect(r.message).toContain('deploy by bob');
  });

  it('resumes an interrupted run without deploying twice', async () => {
    const { options, platform, store } = await setup();
    const controller = new AbortController();
    // Interrupt while watching the first service: its deploy was started and recorded.
    const interrupted = runDeploy({
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.type === 'service' && p.service === 'api' && p.message.endsWith('building'))
          controller.abort(new Error('killed'));
      },
    });
    await expect(interrupted).rejects.toThrow();
    const [run] = await store.listRuns({ kind: 'deploy' });
    expect(run?.status).toBe('interrupted');
    expect(platform.calls.deploy).toBe(1);
    const resumed = await runDeploy({ ...options, resumeRunId: run!.id });
    expect(resumed.status).toBe('succeeded');
    expect(platform.calls.deploy).toBe(2); // api was followed, not redeployed; worker deployed once
    expect(await store.getLock(lockName('production'))).toBeUndefined();
  });

  it('resumes with the services the run started with, not the ones the resume names', async () => {
    const { options, platform, store } = await setup();
    const controller = new AbortController();
    const interrupted = runDeploy({
      ...options,
      services: ['api'],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.type === 'service' && p.service === 'api' && p.message.endsWith('building'))
          controller.abort(new Error('killed'));
      },
    });
    await expect(interrupted).rejects.toThrow();
    const [run] = await store.listRuns({ kind: 'deploy' });
    const resumed = await runDeploy({ ...options, resumeRunId: run!.id });
    expect(resumed.message).toBe('deployed api to production');
    expect(resumed.plan.groups).toEqual([['api']]);
    expect(platform.calls.deploy).toBe(1);
  });

  it('pauses at once, saying why, instead of succeeding when verification has nothing to measure', async () => {
    const { options, store } = await setup();
    const r = await runDeploy({ ...options, measure: async () => [] });
    expect(r.status).toBe('paused');
    expect(r.message).toContain('nothing to measure');
    expect(r.state!.verification?.measurements).toBe(1);
    expect(await store.getLock(lockName('production'))).toBeDefined();
  });
});
