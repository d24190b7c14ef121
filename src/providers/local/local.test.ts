import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStackDir,
  get,
  isRunning,
  localContext,
  servedVersion,
  webService,
} from '../../../test/support/providers/local/local-fixture.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { ProviderError } from '../../errors.js';
import { followDeploy } from '../follow-deploy.js';
import {
  describeProviderContract,
  type ProviderContractTarget,
  type ReleaseKind,
} from '../provider.contract.js';
import type { Provider } from '../types.js';
import { createLocalProvider, type LocalProviderOptions, stopLocalRuntime } from './index.js';
import { readSupervisorInfo, runtimePaths } from './runtime-files.js';

const FAST: LocalProviderOptions = { readyTimeoutMs: 8000, drainTimeoutMs: 2000, stopTimeoutMs: 2000 };
const follow = (p: Provider, id: string, ctx: ReturnType<typeof localContext>) =>
  followDeploy(p, id, ctx, { intervalMs: 50, timeoutMs: 20_000 });
const pidOf = (pidDir: string, version: string) =>
  Number(readFileSync(join(pidDir, `${version}.pid`), 'utf8'));

/** What makes a release good, failing or slow. */
const RELEASE_ENV: Record<ReleaseKind, Record<string, string>> = {
  bad: { FAIL_START: '1' },
  slow: { READY_DELAY_MS: '2500' },
  good: {},
};

describeProviderContract('local', async (): Promise<ProviderContractTarget> => {
  const stack = createStackDir();
  const provider = createLocalProvider(webService('web'), FAST);
  const context = (signal?: AbortSignal) => localContext(stack.dir, stack.pidDir, signal);
  return {
    provider,
    context,
    request: (kind, label) => ({
      environment: 'test',
      version: label,
      releaseEnv: RELEASE_ENV[kind],
    }),
    served: () => servedVersion(provider, context()),
    logMarker: 'listening on',
    dispose: async () => {
      await stopLocalRuntime(stack.dir);
      stack.remove();
    },
  };
});

describe('local provider', () => {
  const stack = createStackDir();
  const ctx = () => localContext(stack.dir, stack.pidDir);
  let serviceCount = 0;
  const provider = (options: LocalProviderOptions = FAST, overrides?: Record<string, unknown>) =>
    createLocalProvider(webService(`svc${++serviceCount}`, overrides), options);
  const ship = async (p: Provider, version: string, releaseEnv: Record<string, string> = {}) =>
    follow(p, (await p.deploy({ environment: 'test', version, releaseEnv }, ctx())).id, ctx());

  afterAll(async () => {
    await stopLocalRuntime(stack.dir);
    stack.remove();
  });

  it('refuses a second deploy of a service while one is in flight', async () => {
    const p = provider();
    const slow = await p.deploy(
      { environment: 'test', version: 'v1', releaseEnv: { READY_DELAY_MS: '3000' } },
      ctx(),
    );
    await waitFor('the process to change', () => existsSync(join(stack.pidDir, 'v1.pid')));
    const second = await p.deploy({ environment: 'test', version: 'v2' }, ctx()).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ProviderError);
    expect(second).toMatchObject({ status: 409 });
    expect((second as Error).message).toContain(slow.id);
    await p.cancel!(slow.id, ctx());
    expect((await follow(p, slow.id, ctx())).state).toBe('canceled');
    expect(isRunning(pidOf(stack.pidDir, 'v1'))).toBe(false);
  });

  it('answers a watch waiting on a release when it goes live, not when the wait runs out', async () => {
    const p = provider();
    const started = await p.deploy(
      { environment: 'test', version: 'w1', releaseEnv: { READY_DELAY_MS: '3000' } },
      ctx(),
    );
    // A wait that runs out first answers with the release still on its way.
    await p.waitForChange!(started.id, 'deploying', 1, ctx());
    expect((await p.getDeploy(started.id, ctx())).state).toBe('deploying');
    // The long wait (60 s) outlasts this test's own deadline (30 s): it can only pass by being told of the change.
    await p.waitForChange!(started.id, 'deploying', 60_000, ctx());
    expect((await p.getDeploy(started.id, ctx())).state).toBe('live');
  }, 30_000);

  it('stops a release that never gets ready, keeps the old one serving and reports its last output', async () => {
    const p = provider({ ...FAST, readyTimeoutMs: 1500 });
    await ship(p, 'good1');
    const failed = await ship(p, 'never1', { FAIL_READY: '1' });
    expect(failed.state).toBe('failed');
    expect(failed.reason).toContain('not ready within 1500 ms (GET /ready answered 503)');
    expect(failed.reason).toContain('starting never1');
    expect(isRunning(pidOf(stack.pidDir, 'never1'))).toBe(false);
    expect(await servedVersion(p, ctx())).toBe('good1');
  });

  it('keeps the two previous releases running, stops older ones, and restarts a stopped one to roll back', async () => {
    const p = provider();
    const releases = [];
    for (const v of ['r1', 'r2', 'r3', 'r4']) releases.push(await ship(p, v));
    expect(releases.map((r) => r.state)).toEqual(['live', 'live', 'live', 'live']);
    // The oldest one stops after its (empty) drain, in the background.
    await waitFor('the process to change', () => !isRunning(pidOf(stack.pidDir, 'r1')));
    expect(['r2', 'r3', 'r4'].map((v) => isRunning(pidOf(stack.pidDir, v)))).toEqual([true, true, true]);
    const states = Object.fromEntries((await p.listDeploys(ctx())).map((d) => [d.version, d.state]));
    expect(states).toEqual({ r1: 'superseded', r2: 'superseded', r3: 'superseded', r4: 'live' });

    const restored = await p.rollback(releases[0]!.id, ctx());
    expect(restored).toMatchObject({ id: releases[0]!.id, state: 'live', version: 'r1' });
    expect(await servedVersion(p, ctx())).toBe('r1');
    expect(isRunning(pidOf(stack.pidDir, 'r1'))).toBe(true);
    // r4, rolled back from, stops after its drain and stays listed as an artefact; the standbys stay warm.
    await waitFor('the process to change', () => !isRunning(pidOf(stack.pidDir, 'r4')));
    expect(['r2', 'r3'].map((v) => isRunning(pidOf(stack.pidDir, v)))).toEqual([true, true]);
    const after = (await p.listDeploys(ctx())).find((d) => d.version === 'r4');
    expect(after).toMatchObject({ state: 'superseded', reason: `rolled back to ${releases[0]!.id}` });
  });

  it('rejects a rollback to a release that never served', async () => {
    const p = provider();
    await ship(p, 'ok1');
    const bad = await ship(p, 'crash1', { FAIL_START: '1' });
    expect(bad.reason).toContain('boom: crash1 cannot start');
    await expect(p.rollback(bad.id, ctx())).rejects.toThrow(/never served traffic/);
  });

  it('goes on with a deploy after the opsbook process that started it is killed', async () => {
    const name = `svc${++serviceCount}`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../../../test/support/providers/local/deploy-child.ts', import.meta.url)),
        stack.dir,
        stack.pidDir,
        name,
        'k1',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const id = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').once('data', (text: string) => resolve(text.trim()));
      child.once('exit', (code) => reject(new Error(`deploy child exited ${code}`)));
    });
    child.kill('SIGKILL');
    const p = createLocalProvider(webService(name), FAST);
    expect((await follow(p, id, ctx())).state).toBe('live');
    expect(await servedVersion(p, ctx())).toBe('k1');
  });

  it('masks the env contract secrets in release logs, in the API and on disk', async () => {
    const secret = 'tok_9f8e7d6c5b4a'; // gitleaks:allow (a fake secret for this test)
    const p = provider(FAST, { env: { API_TOKEN: { secret: true } } });
    const secretCtx = localContext(stack.dir, stack.pidDir);
    secretCtx.env = { ...secretCtx.env, API_TOKEN: secret };
    const d = await p.deploy(
      { environment: 'test', version: 's1', releaseEnv: { PRINT_VAR: 'API_TOKEN' } },
      secretCtx,
    );
    await follow(p, d.id, ctx());
    const { lines } = await p.logs!(d.id, ctx());
    expect(lines.map((l) => l.text)).toContain('API_TOKEN=[REDACTED]');
    const files = readdirSync(join(runtimePaths(stack.dir).serviceDir(p.service.name), 'releases'));
    const onDisk = files.map((f) =>
      readFileSync(join(runtimePaths(stack.dir).serviceDir(p.service.name), 'releases', f), 'utf8'),
    );
    expect(onDisk.join('')).toContain('API_TOKEN=[REDACTED]');
    expect(
      onDisk.join('') + readFileSync(runtimePaths(stack.dir).state(p.service.name), 'utf8'),
    ).not.toContain(secret);
  });

  it('runs a worker without a proxy and stops the previous worker once the new one is up', async () => {
    const command = `"${process.execPath}" -e "console.log('worker', process.env.APP_VERSION); setInterval(() => {}, 1000)"`;
    const p = createLocalProvider(
      webService(`svc${++serviceCount}`, {
        kind: 'worker',
        health: [],
        provider: { type: 'local', command },
      }),
      { ...FAST, workerGraceMs: 200 },
    );
    const w1 = await ship(p, 'w1');
    const w2 = await ship(p, 'w2');
    expect([w1.state, w2.state, w2.url]).toEqual(['live', 'live', undefined]);
    const { lines } = await p.logs!(w1.id, ctx());
    expect(lines.map((l) => l.text)).toEqual(
      expect.arrayContaining(['worker w1', expect.stringMatching(/^stopped/)]),
    );
  });

  describe('the supervisor', () => {
    const own = createStackDir();
    beforeAll(async () => {
      await ship(createLocalProvider(webService('api'), FAST), 'a1').catch(() => {});
    });
    afterAll(() => own.remove());

    it('keeps its token in an owner-only file and refuses calls without it', async () => {
      const info = readSupervisorInfo(stack.dir)!;
      expect(statSync(runtimePaths(stack.dir).info).mode & 0o777).toBe(0o600);
      expect((await get(`http://127.0.0.1:${info.port}`, '/v1/ping')).status).toBe(401);
    });

    it('stops with every release it runs, and starts again on the next deploy', async () => {
      const ownCtx = localContext(own.dir, own.pidDir);
      const p = createLocalProvider(webService('api'), FAST);
      const first = await follow(
        p,
        (await p.deploy({ environment: 'test', version: 'x1' }, ownCtx)).id,
        ownCtx,
      );
      const pid = readSupervisorInfo(own.dir)!.pid;
      const release = pidOf(own.pidDir, 'x1');
      await stopLocalRuntime(own.dir);
      expect([isRunning(pid), isRunning(release), existsSync(runtimePaths(own.dir).info)]).toEqual([
        false,
        false,
        false,
      ]);
      await expect(get(first.url!)).rejects.toThrow(/ECONNREFUSED/);
      expect((await p.getDeploy(first.id, ownCtx)).state).toBe('superseded');
      const again = await follow(
        p,
        (await p.deploy({ environment: 'test', version: 'x2' }, ownCtx)).id,
        ownCtx,
      );
      expect(again.state).toBe('live');
      expect(await servedVersion(p, ownCtx)).toBe('x2');
      await stopLocalRuntime(own.dir);
    });
  });
});
