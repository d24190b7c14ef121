import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeRender, startFakeRender } from '../../../test/fakes/render/fake-render.js';
import {
  createTestContext,
  type TestContext,
  waitForTerminal,
} from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import type { Provider } from '../types.js';
import { createRenderProvider } from './render.js';

const TOKEN = 'rnd_SuperSecretRenderKey123';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function renderService(provider: Partial<{ serviceId: string; serviceName: string }> = {}): ResolvedService {
  return {
    name: 'api',
    kind: 'web',
    provider: { type: 'render', ...provider },
    dependsOn: [],
    health: [],
    env: {},
    dependencies: [],
  } as ResolvedService;
}

let fake: FakeRender;
let ctx: TestContext;
let provider: Provider;

beforeEach(async () => {
  fake = await startFakeRender({ token: TOKEN });
  ctx = createTestContext({ RENDER_API_KEY: TOKEN });
  provider = createRenderProvider(renderService({ serviceId: fake.service.id }), {
    baseUrl: fake.url,
    timeoutMs: 300,
    followIntervalMs: 5_000,
    followAttempts: 4,
  });
});

afterEach(async () => {
  await fake.close();
});

const posts = (path: RegExp) => fake.requests.filter((r) => r.method === 'POST' && path.test(r.path)).length;

describe('render provider', () => {
  it('triggers a deploy of a commit and follows it through the documented statuses to live', async () => {
    const previous = fake.seedLiveDeploy('0000000aaaaaaa');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(deploy).toMatchObject({ state: 'queued', commit: SHA, trigger: 'api' });
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toEqual({ commitId: SHA });

    const seen = await waitForTerminal(provider, deploy.id, ctx);
    expect(seen.map((d) => d.state)).toEqual(['building', 'deploying', 'live']);
    expect((await provider.getDeploy(previous.id, ctx)).state).toBe('superseded');
  });

  it('follows the deploy auto-deploy started for the commit, waiting until it appears', async () => {
    let waits = 0;
    ctx.sleep = async (ms) => {
      ctx.sleeps.push(ms);
      if (++waits === 2) fake.pushCommit(SHA);
    };
    const deploy = await provider.deploy(
      { environment: 'production', commit: SHA.slice(0, 7), follow: true },
      ctx,
    );
    expect(deploy).toMatchObject({ commit: SHA, trigger: 'new_commit' });
    expect(posts(/deploys$/)).toBe(0);
  });

  it('says so when no deploy for the commit appears in follow mode', async () => {
    await expect(
      provider.deploy({ environment: 'production', commit: SHA, follow: true }, ctx),
    ).rejects.toThrow(/no deploy of commit a1b2c3d4e5f6 appeared .* auto-deploy/);
  });

  it('reports a failed build as failed with a reason, and the build log carries the cause', async () => {
    fake.failNextBuild('npm ERR! Missing script: "build"');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    const final = (await waitForTerminal(provider, deploy.id, ctx)).at(-1);
    expect(final).toMatchObject({ state: 'failed', reason: expect.stringContaining('build failed') });
    const { lines } = await provider.logs!(deploy.id, ctx);
    expect(lines.map((l) => l.text)).toContain('npm ERR! Missing script: "build"');
    expect(lines.find((l) => l.text.startsWith('npm ERR!'))?.source).toBe('build');
  });

  it('keeps watching the same deploy through a 429, 5xx errors and a timed-out poll', async () => {
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    const path = `/v1/services/${fake.service.id}/deploys/${deploy.id}`;
    fake.inject({ method: 'GET', path, fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    fake.inject({ method: 'GET', path, fault: { kind: 'error', status: 503 }, times: 2 });
    fake.inject({ method: 'GET', path, fault: { kind: 'hang' } });

    const seen = await waitForTerminal(provider, deploy.id, ctx);
    expect(seen.at(-1)?.state).toBe('live');
    expect(new Set(seen.map((d) => d.id))).toEqual(new Set([deploy.id]));
    expect(ctx.sleeps.some((ms) => ms >= 7_000 && ms < 7_300)).toBe(true);
    expect(ctx.logs.join('\n')).toMatch(/rate limited[\s\S]*HTTP 503[\s\S]*timed out/);
    expect(fake.deploys).toHaveLength(1);
  });

  it('does not deploy twice when the create request times out after Render made the deploy', async () => {
    fake.inject({ method: 'POST', path: /\/deploys$/, fault: { kind: 'hang' }, afterHandling: true });
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(fake.deploys).toHaveLength(1);
    expect(deploy.id).toBe(fake.deploys[0]?.id);
    expect(posts(/deploys$/)).toBe(1);
    expect(ctx.logs.join('\n')).toMatch(/may or may not have been applied[\s\S]*found the deploy/);
  });

  it('sends the create again when a 5xx shows Render did not make the deploy', async () => {
    fake.inject({ method: 'POST', path: /\/deploys$/, fault: { kind: 'error', status: 502 } });
    await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(posts(/deploys$/)).toBe(2);
    expect(fake.deploys).toHaveLength(1);
  });

  it('rolls back as a new deploy of the old build (trigger rollback) and switches auto-deploy off', async () => {
    const good = fake.seedLiveDeploy('0000000aaaaaaa');
    fake.seedLiveDeploy(SHA);
    const rollback = await provider.rollback(good.id, ctx);

    expect(rollback.id).not.toBe(good.id);
    expect(rollback).toMatchObject({ trigger: 'rollback', commit: '0000000aaaaaaa' });
    expect(fake.requests.find((r) => r.path.endsWith('/rollback'))?.body).toEqual({ deployId: good.id });
    expect(fake.service.autoDeploy).toBe('no');
    expect((await waitForTerminal(provider, rollback.id, ctx)).at(-1)?.state).toBe('live');
    expect(fake.pushCommit('ffffffffffffff')).toBeUndefined();
  });

  it('says whether switching auto-deploy off changed anything, counting the switch-off its own rollback made', async () => {
    // Off before opsbook came: nothing for unlock to switch back on, even after a rollback.
    fake.service.autoDeploy = 'no';
    expect(await provider.setAutoDeploy!(false, ctx)).toBe(false);
    const good = fake.seedLiveDeploy('0000000aaaaaaa');
    fake.seedLiveDeploy(SHA);
    await provider.rollback(good.id, ctx);
    expect(await provider.setAutoDeploy!(false, ctx)).toBe(false);
    expect(fake.service.autoDeploy).toBe('no');

    // On before: the rollback switched it off, and that is opsbook's switch-off to undo at unlock.
    fake.service.autoDeploy = 'yes';
    await provider.rollback(good.id, ctx);
    expect(await provider.setAutoDeploy!(false, ctx)).toBe(true);
    expect(await provider.setAutoDeploy!(true, ctx)).toBe(true);
    expect(fake.service.autoDeploy).toBe('yes');
  });

  it('does not start a second rollback when the rollback request times out', async () => {
    const good = fake.seedLiveDeploy('0000000aaaaaaa');
    fake.seedLiveDeploy(SHA);
    fake.inject({ method: 'POST', path: /\/rollback$/, fault: { kind: 'hang' }, afterHandling: true });
    await provider.rollback(good.id, ctx);
    expect(fake.deploys.filter((d) => d.trigger === 'rollback')).toHaveLength(1);
  });

  it('lists deploys newest first across cursor pages', async () => {
    for (let i = 0; i < 130; i++) fake.seedLiveDeploy(`c${String(i).padStart(13, '0')}`);
    const deploys = await provider.listDeploys(ctx, { limit: 130 });
    expect(deploys).toHaveLength(130);
    expect(new Set(deploys.map((d) => d.id)).size).toBe(130);
    expect(deploys[0]?.commit).toBe('c0000000000129');
    expect(deploys.at(-1)?.commit).toBe('c0000000000000');
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/deploys'));
    expect(lists.map((r) => r.query.has('cursor'))).toEqual([false, true]);
  });

  it('reads env vars across pages and writes them one key at a time', async () => {
    for (let i = 0; i < 120; i++) fake.envVars.set(`VAR_${i}`, `value-${i}`);
    const env = await provider.getEnv!(ctx);
    expect(Object.keys(env)).toHaveLength(120);
    expect(env.VAR_119).toBe('value-119');

    await provider.setEnv!({ FEATURE_X: 'on' }, ctx);
    expect(fake.envVars.get('FEATURE_X')).toBe('on');
    expect(fake.envVars.size).toBe(121);
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/env-vars'))).toBe(false);
  });

  it('finds the service by name when no id is configured', async () => {
    const byName = createRenderProvider(renderService({ serviceName: 'api' }), { baseUrl: fake.url });
    fake.seedLiveDeploy(SHA);
    expect((await byName.listDeploys(ctx))[0]?.commit).toBe(SHA);
  });

  it('never shows the API key in errors or logs', async () => {
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    fake.inject({
      method: 'GET',
      fault: { kind: 'error', status: 503, body: { message: `bad key ${TOKEN}` } },
    });
    fake.inject({
      method: 'GET',
      fault: { kind: 'error', status: 400, body: { message: `key ${TOKEN} rejected` } },
    });
    const error = await provider.getDeploy(deploy.id, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const shown = JSON.stringify({
      ...(error as ProviderError),
      message: (error as Error).message,
      logs: ctx.logs,
    });
    expect(shown).toContain('[REDACTED]');
    expect(shown).not.toContain(TOKEN);
    expect((error as ProviderError).status).toBe(400);
  });

  it('fails clearly on a wrong key and on a missing one', async () => {
    const wrong = createTestContext({ RENDER_API_KEY: 'rnd_wrong_key_000' });
    await expect(provider.listDeploys(wrong)).rejects.toMatchObject({ status: 401 });
    expect(fake.requests).toHaveLength(1);
    await expect(provider.listDeploys(createTestContext({}))).rejects.toBeInstanceOf(UserError);
  });
});
