import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeVercel, startFakeVercel } from '../../../test/fakes/vercel/fake-vercel.js';
import {
  createTestContext,
  type TestContext,
  waitForTerminal,
} from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { ProviderError } from '../../errors.js';
import type { Provider } from '../types.js';
import { createVercelProvider } from './vercel.js';

const TOKEN = 'vcl_SuperSecretVercelToken456';
const TEAM = 'team_fake0001';
const SHA = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';

function vercelService(project: string): ResolvedService {
  return {
    name: 'web',
    kind: 'web',
    provider: { type: 'vercel', project, team: TEAM },
    dependsOn: [],
    health: [],
    env: {},
    dependencies: [],
  } as ResolvedService;
}

let fake: FakeVercel;
let ctx: TestContext;
let provider: Provider;

beforeEach(async () => {
  fake = await startFakeVercel({ token: TOKEN, teamId: TEAM });
  ctx = createTestContext({ VERCEL_TOKEN: TOKEN });
  provider = createVercelProvider(vercelService('web'), {
    baseUrl: fake.url,
    timeoutMs: 300,
    followAttempts: 3,
    aliasPollAttempts: 5,
  });
});

afterEach(async () => {
  await fake.close();
});

const creates = () =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === '/v13/deployments').length;

describe('vercel provider', () => {
  it('creates a production deployment of a commit from the git source of the last one and watches it to READY', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(deploy).toMatchObject({ state: 'queued', commit: SHA });
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toMatchObject({
      name: 'web',
      target: 'production',
      gitSource: { type: 'github', repoId: 4242, ref: 'main', sha: SHA },
    });

    const seen = await waitForTerminal(provider, deploy.id, ctx);
    expect(seen.map((d) => d.state)).toEqual(['building', 'live']);
    expect(seen.at(-1)?.url).toMatch(/^https:\/\/web-\d+\.vercel\.app$/);
    expect(fake.productionDeploymentId).toBe(deploy.id);
    expect(fake.requests.every((r) => r.query.get('teamId') === TEAM)).toBe(true);
  });

  it('follows the deployment the git integration made for the commit (meta.githubCommitSha)', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    const pushed = fake.pushCommit(SHA);
    const deploy = await provider.deploy(
      { environment: 'production', commit: SHA.slice(0, 10), follow: true },
      ctx,
    );
    expect(deploy).toMatchObject({ id: pushed.id, trigger: 'git' });
    expect(creates()).toBe(0);
  });

  it('reports a failed build as failed with the error message, and the events carry the build output', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    fake.failNextBuild('Command "npm run build" exited with 1');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    const final = (await waitForTerminal(provider, deploy.id, ctx)).at(-1);
    expect(final).toMatchObject({ state: 'failed', reason: 'Command "npm run build" exited with 1' });
    const first = await provider.logs!(deploy.id, ctx);
    expect(first.lines.map((l) => l.text)).toContain('Command "npm run build" exited with 1');
    const again = await provider.logs!(deploy.id, ctx, first.cursor);
    expect(again.lines).toEqual([]);
  });

  it('keeps watching the same deployment through a 429, 5xx errors and a timed-out poll', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    const path = `/v13/deployments/${deploy.id}`;
    fake.inject({ method: 'GET', path, fault: { kind: 'rate-limit', retryAfterSeconds: 5 } });
    fake.inject({ method: 'GET', path, fault: { kind: 'error', status: 500 }, times: 2 });
    fake.inject({ method: 'GET', path, fault: { kind: 'hang' } });

    const seen = await waitForTerminal(provider, deploy.id, ctx);
    expect(seen.at(-1)).toMatchObject({ id: deploy.id, state: 'live' });
    // X-RateLimit-Reset is an epoch in whole seconds, so the wait lands within a second of the 5 s asked.
    expect(ctx.sleeps.some((ms) => ms >= 4_000 && ms <= 6_300)).toBe(true);
    expect(fake.deployments).toHaveLength(2);
  });

  it('does not create a second deployment when the create request times out after Vercel made one', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    fake.inject({ method: 'POST', path: '/v13/deployments', fault: { kind: 'hang' }, afterHandling: true });
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(creates()).toBe(1);
    expect(fake.deployments.filter((d) => d.meta?.githubCommitSha === SHA)).toHaveLength(1);
    expect(deploy.id).toBe(fake.deployments[0]?.id);
  });

  it('rolls back by moving the production alias to the old deployment, creating none', async () => {
    const good = fake.seedProductionDeployment('0000000aaaaaaa');
    const bad = fake.seedProductionDeployment(SHA);
    expect(fake.productionDeploymentId).toBe(bad.id);
    const count = fake.deployments.length;

    const serving = await provider.rollback(good.id, ctx);
    expect(serving).toMatchObject({ id: good.id, state: 'live', commit: '0000000aaaaaaa' });
    expect(fake.productionDeploymentId).toBe(good.id);
    expect(fake.deployments).toHaveLength(count);
    expect(creates()).toBe(0);
    // Asynchronous: the project was polled until the alias job finished.
    expect(fake.requests.filter((r) => r.path === '/v9/projects/web').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to roll back to a deployment that never served production', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    fake.failNextBuild('boom');
    const broken = fake.pushCommit(SHA);
    await expect(provider.rollback(broken.id, ctx)).rejects.toMatchObject({ status: 400 });
  });

  it('lists deployments newest first across `until` pages', async () => {
    for (let i = 0; i < 130; i++) fake.seedProductionDeployment(`c${String(i).padStart(13, '0')}`);
    const deploys = await provider.listDeploys(ctx, { limit: 130 });
    expect(deploys).toHaveLength(130);
    expect(new Set(deploys.map((d) => d.id)).size).toBe(130);
    expect(deploys[0]?.commit).toBe('c0000000000129');
    expect(deploys.at(-1)?.commit).toBe('c0000000000000');
    const lists = fake.requests.filter((r) => r.path === '/v6/deployments');
    expect(lists.map((r) => r.query.has('until'))).toEqual([false, true]);
  });

  it("reads the preview target's env vars for a preview environment, a branch's own value first", async () => {
    fake.env.push(
      { key: 'API_URL', value: 'https://api.example.com', type: 'encrypted', target: ['production'] },
      { key: 'API_URL', value: 'https://preview-api.example.com', type: 'encrypted', target: ['preview'] },
      {
        key: 'API_URL',
        value: 'https://staging-api.example.com',
        type: 'encrypted',
        target: ['preview'],
        gitBranch: 'staging',
      },
      { key: 'DEBUG', value: '1', type: 'encrypted', target: ['development', 'preview'] },
      { key: 'OTHER', value: 'x', type: 'encrypted', target: ['preview'], gitBranch: 'feature-x' },
    );
    expect(await provider.getEnv!(ctx, { environment: 'production' })).toEqual({
      API_URL: 'https://api.example.com',
    });
    expect(await provider.getEnv!(ctx, { environment: 'preview' })).toEqual({
      API_URL: 'https://preview-api.example.com',
      DEBUG: '1',
    });
    expect(await provider.getEnv!(ctx, { environment: 'staging', branch: 'staging' })).toEqual({
      API_URL: 'https://staging-api.example.com',
      DEBUG: '1',
    });
    expect(await provider.getEnv!(ctx, { environment: 'development' })).toEqual({ DEBUG: '1' });
  });

  it('reads production env vars and upserts changes', async () => {
    await provider.setEnv!({ API_URL: 'https://api.example.com', FEATURE_X: 'on' }, ctx);
    await provider.setEnv!({ FEATURE_X: 'off' }, ctx);
    expect(fake.env).toHaveLength(2);
    expect(await provider.getEnv!(ctx)).toEqual({ API_URL: 'https://api.example.com', FEATURE_X: 'off' });
  });

  it('never shows the token in errors or logs', async () => {
    fake.seedProductionDeployment('0000000aaaaaaa');
    const id = fake.deployments[0]?.id ?? '';
    fake.inject({
      method: 'GET',
      fault: { kind: 'error', status: 502, body: { error: { message: `t=${TOKEN}` } } },
    });
    fake.inject({
      method: 'GET',
      fault: { kind: 'error', status: 400, body: { error: { message: `bad ${TOKEN}` } } },
    });
    const error = await provider.getDeploy(id, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const shown = JSON.stringify({
      ...(error as ProviderError),
      message: (error as Error).message,
      logs: ctx.logs,
    });
    expect(shown).toContain('[REDACTED]');
    expect(shown).not.toContain(TOKEN);
  });

  it('fails without retrying on a rejected token', async () => {
    await expect(
      provider.listDeploys(createTestContext({ VERCEL_TOKEN: 'vcl_wrong_token' })),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(fake.requests).toHaveLength(1);
  });
});
