import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeRailway, startFakeRailway } from '../../../test/fakes/railway/fake-railway.js';
import {
  createTestContext,
  type TestContext,
  waitForTerminal,
} from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import type { Provider } from '../types.js';
import { createRailwayProvider } from './railway.js';

const TOKEN = 'rwy_SuperSecretProjectToken789';
const SHA = 'c3d4e5f60718293a4b5c6d7e8f90123456789012';

function railwayService(provider: Record<string, unknown>): ResolvedService {
  return {
    name: 'api',
    kind: 'web',
    provider: { type: 'railway', ...provider },
    dependsOn: [],
    health: [],
    env: {},
    dependencies: [],
  } as ResolvedService;
}

let fake: FakeRailway;
let ctx: TestContext;
let provider: Provider;

beforeEach(async () => {
  fake = await startFakeRailway({ token: TOKEN });
  ctx = createTestContext({ RAILWAY_TOKEN: TOKEN });
  provider = createRailwayProvider(railwayService({ service: fake.ids.serviceId }), {
    baseUrl: fake.url,
    timeoutMs: 300,
    followAttempts: 3,
  });
});

afterEach(async () => {
  await fake.close();
});

const fieldCalls = (field: string) => fake.calls.filter((c) => c.field === field);

describe('railway provider', () => {
  it('deploys a commit with serviceInstanceDeployV2 and follows it to SUCCESS', async () => {
    const previous = fake.seedSuccessfulDeployment('0000000aaaaaaa');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(deploy).toMatchObject({ state: 'queued', commit: SHA });
    // The project token told the provider which project and environment it may touch.
    expect(fieldCalls('projectToken')).toHaveLength(1);
    expect(fieldCalls('serviceInstanceDeployV2')[0]?.variables).toMatchObject({
      serviceId: fake.ids.serviceId,
      environmentId: fake.ids.environmentId,
      commitSha: SHA,
    });

    const seen = await waitForTerminal(provider, deploy.id, ctx);
    expect(seen.map((d) => d.state)).toEqual(['building', 'building', 'deploying', 'live']);
    expect(seen.at(-1)?.url).toBe('https://api-production.up.railway.app');
    expect((await provider.getDeploy(previous.id, ctx)).state).toBe('superseded');
  });

  it('follows the deployment a push started, by meta.commitHash', async () => {
    const pushed = fake.pushCommit(SHA);
    const deploy = await provider.deploy(
      { environment: 'production', commit: SHA.slice(0, 8), follow: true },
      ctx,
    );
    expect(deploy.id).toBe(pushed.id);
    expect(fieldCalls('serviceInstanceDeployV2')).toHaveLength(0);
  });

  it('reports a failed build as failed with the error line from the build logs', async () => {
    fake.failNextBuild('ERROR: failed to solve: process "npm ci" did not complete successfully');
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    const final = (await waitForTerminal(provider, deploy.id, ctx)).at(-1);
    expect(final?.state).toBe('failed');
    expect(final?.reason).toContain('process "npm ci" did not complete successfully');
  });

  it('reads build and deploy logs in order, and only new lines after the cursor', async () => {
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    await waitForTerminal(provider, deploy.id, ctx);
    const first = await provider.logs!(deploy.id, ctx);
    expect(first.lines.map((l) => [l.source, l.text])).toEqual([
      ['build', 'Using Nixpacks'],
      ['runtime', 'Server listening on :8080'],
    ]);
    expect((await provider.logs!(deploy.id, ctx, first.cursor)).lines).toEqual([]);
  });

  it('keeps watching the same deployment through a 429, 5xx errors and a timed-out poll', async () => {
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    fake.inject({ operation: 'deployment', fault: { kind: 'rate-limit', retryAfterSeconds: 3 } });
    fake.inject({ operation: 'deployment', fault: { kind: 'error', status: 503 }, times: 2 });
    fake.inject({ operation: 'deployment', fault: { kind: 'hang' } });
    const seen = await waitForTerminal(provider, deploy.id, ctx);
    expect(seen.at(-1)).toMatchObject({ id: deploy.id, state: 'live' });
    expect(ctx.sleeps.some((ms) => ms >= 3_000 && ms < 3_300)).toBe(true);
    expect(fake.deployments).toHaveLength(1);
  });

  it('does not deploy twice when the deploy mutation times out after Railway started it', async () => {
    fake.inject({ operation: 'serviceInstanceDeployV2', fault: { kind: 'hang' }, afterHandling: true });
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(fieldCalls('serviceInstanceDeployV2')).toHaveLength(1);
    expect(fake.deployments).toHaveLength(1);
    expect(deploy.id).toBe(fake.deployments[0]?.id);
  });

  it('rolls back with deploymentRollback on the old deployment, restoring its image and variables', async () => {
    await provider.setEnv!({ FEATURE_X: 'off' }, ctx);
    const good = fake.seedSuccessfulDeployment('0000000aaaaaaa');
    await provider.setEnv!({ FEATURE_X: 'on' }, ctx);
    fake.seedSuccessfulDeployment(SHA);

    const rollback = await provider.rollback(good.id, ctx);
    expect(fieldCalls('deploymentRollback').map((c) => c.variables)).toEqual([{ id: good.id }]);
    expect(rollback).toMatchObject({ trigger: 'rollback', commit: '0000000aaaaaaa' });
    expect(rollback.id).toBe(fake.deployments[0]?.id);
    expect(fake.deployments[0]?.rollbackOf).toBe(good.id);
    expect((await waitForTerminal(provider, rollback.id, ctx)).at(-1)?.state).toBe('live');
    expect(await provider.getEnv!(ctx)).toEqual({ FEATURE_X: 'off' });
  });

  it('does not roll back twice when the rollback mutation times out', async () => {
    const good = fake.seedSuccessfulDeployment('0000000aaaaaaa');
    fake.seedSuccessfulDeployment(SHA);
    fake.inject({ operation: 'deploymentRollback', fault: { kind: 'hang' }, afterHandling: true });
    await provider.rollback(good.id, ctx);
    expect(fieldCalls('deploymentRollback')).toHaveLength(1);
    expect(fake.deployments.filter((d) => d.rollbackOf)).toHaveLength(1);
  });

  it('writes variables with skipDeploys so Railway does not redeploy on its own', async () => {
    fake.seedSuccessfulDeployment(SHA);
    await provider.setEnv!({ API_URL: 'https://api.example.com' }, ctx);
    expect(fake.variables).toEqual({ API_URL: 'https://api.example.com' });
    expect(fake.deployments).toHaveLength(1);
  });

  it('lists deployments newest first across connection pages', async () => {
    for (let i = 0; i < 130; i++) fake.seedSuccessfulDeployment(`c${String(i).padStart(13, '0')}`);
    const deploys = await provider.listDeploys(ctx, { limit: 130 });
    expect(deploys).toHaveLength(130);
    expect(new Set(deploys.map((d) => d.id)).size).toBe(130);
    expect(deploys[0]?.commit).toBe('c0000000000129');
    expect(deploys.at(-1)?.commit).toBe('c0000000000000');
    expect(fieldCalls('deployments').map((c) => c.variables.after === undefined)).toEqual([true, false]);
  });

  it('treats GraphQL errors inside a 200 response as errors', async () => {
    await expect(provider.getDeploy('dep-missing', ctx)).rejects.toThrow(
      /Deployment returned an error: Deployment not found/,
    );
  });

  it('uses a Bearer header for an account token, with the ids from config', async () => {
    const account = await startFakeRailway({ token: TOKEN, tokenKind: 'account' });
    try {
      const byAccount = createRailwayProvider(
        railwayService({
          service: account.ids.serviceId,
          project: account.ids.projectId,
          environment: account.ids.environmentId,
          token: { env: 'RAILWAY_API_TOKEN' },
        }),
        { baseUrl: account.url },
      );
      account.seedSuccessfulDeployment(SHA);
      const deploys = await byAccount.listDeploys(createTestContext({ RAILWAY_API_TOKEN: TOKEN }));
      expect(deploys[0]?.commit).toBe(SHA);
      await expect(
        createRailwayProvider(
          railwayService({ service: 'svc', token: { env: 'RAILWAY_API_TOKEN' } }),
        ).listDeploys(createTestContext({ RAILWAY_API_TOKEN: TOKEN })),
      ).rejects.toBeInstanceOf(UserError);
    } finally {
      await account.close();
    }
  });

  it('never shows the token in errors or logs', async () => {
    fake.inject({
      operation: 'deployments',
      fault: { kind: 'error', status: 500, body: { errors: [{ message: TOKEN }] } },
    });
    fake.inject({
      operation: 'deployments',
      fault: { kind: 'error', status: 400, body: { errors: [{ message: `bad ${TOKEN}` }] } },
    });
    const error = await provider.listDeploys(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const shown = JSON.stringify({
      ...(error as ProviderError),
      message: (error as Error).message,
      logs: ctx.logs,
    });
    expect(shown).toContain('[REDACTED]');
    expect(shown).not.toContain(TOKEN);
    const denied = await provider
      .listDeploys(createTestContext({ RAILWAY_TOKEN: 'rwy_wrong_token' }))
      .catch((e: unknown) => e);
    expect((denied as Error).message).toMatch(/Not Authorized/);
  });
});
