/**
 * Railway ids from names: opsbook.yaml says `service: kamiyo-api` (as the dashboard shows it); the GraphQL API wants
 * ids. And auto-deploy: switched off after a rollback, back on only by whoever switched it off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeRailway, startFakeRailway } from '../../../test/fakes/railway/fake-railway.js';
import { createTestContext } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { UserError } from '../../errors.js';
import { createRailwayProvider } from './railway.js';

const TOKEN = 'rwy_NamesProjectToken0000000001';
const SHA = 'c3d4e5f60718293a4b5c6d7e8f90123456789012';

function service(provider: Record<string, unknown>): ResolvedService {
  const base = { name: 'api', kind: 'web', dependsOn: [], health: [], env: {}, dependencies: [] };
  return { ...base, provider: { type: 'railway', ...provider } } as ResolvedService;
}

const fakes: FakeRailway[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
async function fake(options: Partial<Parameters<typeof startFakeRailway>[0]> = {}) {
  const f = await startFakeRailway({ token: TOKEN, ...options });
  fakes.push(f);
  return f;
}

describe('railway: names resolve to ids', () => {
  it('resolves project, environment and service names with an account token', async () => {
    const f = await fake({ tokenKind: 'account' });
    f.seedSuccessfulDeployment(SHA);
    const provider = createRailwayProvider(
      service({
        project: 'kamiyo',
        environment: 'production',
        service: 'kamiyo-api',
        token: { env: 'RAILWAY_API_TOKEN' },
      }),
      { baseUrl: f.url },
    );
    const deploys = await provider.listDeploys(createTestContext({ RAILWAY_API_TOKEN: TOKEN }));
    expect(deploys[0]?.commit).toBe(SHA);
    const listed = f.calls.find((c) => c.field === 'deployments')!;
    expect(listed.variables.input).toEqual({
      projectId: f.ids.projectId,
      environmentId: f.ids.environmentId,
      serviceId: f.ids.serviceId,
    });
  });

  it('resolves a service name within the project a project token is scoped to', async () => {
    const f = await fake();
    f.seedSuccessfulDeployment(SHA);
    const provider = createRailwayProvider(service({ service: 'kamiyo-api' }), { baseUrl: f.url });
    const ctx = createTestContext({ RAILWAY_TOKEN: TOKEN });
    const deploy = await provider.deploy({ environment: 'production', commit: SHA }, ctx);
    expect(deploy.commit).toBe(SHA);
    expect(f.calls.find((c) => c.field === 'serviceInstanceDeployV2')?.variables).toMatchObject({
      serviceId: f.ids.serviceId,
      environmentId: f.ids.environmentId,
    });
  });

  it('says which name is unknown and what exists', async () => {
    const f = await fake({ tokenKind: 'account' });
    const ctx = createTestContext({ RAILWAY_API_TOKEN: TOKEN });
    const make = (p: Record<string, unknown>) =>
      createRailwayProvider(service({ token: { env: 'RAILWAY_API_TOKEN' }, ...p }), { baseUrl: f.url });
    const failure = async (p: Record<string, unknown>) =>
      (await make(p)
        .listDeploys(ctx)
        .catch((e: unknown) => e)) as UserError;

    const service_ = await failure({ project: 'kamiyo', environment: 'production', service: 'kamiyo-apii' });
    expect(service_).toBeInstanceOf(UserError);
    expect(service_.message).toContain("no service 'kamiyo-apii' in Railway project kamiyo");
    expect(service_.hint).toContain('kamiyo-api, kamiyo-worker');

    const env = await failure({ project: 'kamiyo', environment: 'prod', service: 'kamiyo-api' });
    expect(env.message).toContain("no environment 'prod' in Railway project kamiyo");
    expect(env.hint).toContain('production, staging');

    const project = await failure({ project: 'kamiyoo', environment: 'production', service: 'kamiyo-api' });
    expect(project.message).toContain("no Railway project 'kamiyoo'");
    expect(project.hint).toContain('kamiyo');
  });

  it("refuses a project name that is not the project token's project", async () => {
    const f = await fake();
    const provider = createRailwayProvider(service({ project: 'other-shop', service: 'kamiyo-api' }), {
      baseUrl: f.url,
    });
    const error = (await provider
      .listDeploys(createTestContext({ RAILWAY_TOKEN: TOKEN }))
      .catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("scoped to project kamiyo, not 'other-shop'");
  });
});

describe('railway: auto-deploy', () => {
  it('switches auto-deploy off and on, and says when it was already off', async () => {
    const f = await fake();
    const provider = createRailwayProvider(service({ service: f.ids.serviceId }), { baseUrl: f.url });
    const ctx = createTestContext({ RAILWAY_TOKEN: TOKEN });
    expect(f.autoDeploy).toBe(true);
    expect(await provider.setAutoDeploy!(false, ctx)).toBe(true);
    expect(f.autoDeploy).toBe(false);
    expect(await provider.setAutoDeploy!(false, ctx)).toBe(false);
    expect(await provider.setAutoDeploy!(true, ctx)).toBe(true);
    expect(f.autoDeploy).toBe(true);
    expect(f.calls.find((c) => c.field === 'serviceInstanceAutoDeployUpdate')?.variables).toMatchObject({
      input: { projectId: f.ids.projectId, environmentId: f.ids.environmentId, serviceId: f.ids.serviceId },
    });
  });
});
