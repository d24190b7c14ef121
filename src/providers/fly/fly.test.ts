import { afterEach, describe, expect, it } from 'vitest';
import { type FakeFly, startFakeFly } from '../../../test/fakes/fly/fake-fly.js';
import { createTestContext, waitForTerminal } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createFlyProvider } from './fly.js';

const TOKEN = 'fly_UnitDeployToken0001'; // gitleaks:allow (a fake token for this test)
let fake: FakeFly;
afterEach(() => fake?.close());

async function setup(machines = 3) {
  fake = await startFakeFly({ token: TOKEN, machines });
  const service = { name: 'api', kind: 'web', provider: { type: 'fly', app: fake.app } };
  return {
    provider: createFlyProvider(service as ResolvedService, { baseUrl: fake.url }),
    ctx: createTestContext({ FLY_API_TOKEN: TOKEN }),
  };
}

describe('the Fly.io provider', () => {
  it('stops a rollout at the first Machine whose check fails, puts it back and leaves the others alone', async () => {
    const { provider, ctx } = await setup(3);
    const good = 'a'.repeat(40);
    const bad = 'b'.repeat(40);
    const first = await provider.deploy({ environment: 'production', commit: good }, ctx);
    expect((await waitForTerminal(provider, first.id, ctx)).at(-1)?.state).toBe('live');
    const updates = () =>
      fake.requests.filter((r) => r.method === 'POST' && r.path.includes('/machines/')).length;
    const before = updates();

    fake.failImage(bad, 'connection refused on 0.0.0.0:8080');
    const second = await provider.deploy({ environment: 'production', commit: bad }, ctx);
    const final = (await waitForTerminal(provider, second.id, ctx)).at(-1)!;
    expect(final.state).toBe('failed');
    expect(final.reason).toMatch(
      /check servicecheck-00-http-8080 is critical \(connection refused.*1 machine\(s\) put back/,
    );
    // One Machine updated, one put back: the other two never ran the bad image.
    expect(updates() - before).toBe(2);
    expect(fake.machines.every((m) => m.config.image.endsWith(good))).toBe(true);
    expect(fake.releases[0]?.status).toBe('failed');
  });

  it('reads env from the Machine config and secret names without values', async () => {
    const { provider, ctx } = await setup(1);
    expect(await provider.getEnv!(ctx)).toEqual({ PORT: '8080', PRIMARY_REGION: 'ams', DATABASE_URL: '' });
  });

  it('follows the release CI starts: waits for it instead of giving up when it is not there yet', async () => {
    const { provider, ctx } = await setup(1);
    const sha = 'c'.repeat(40);
    // CI's `fly deploy` records the release while opsbook already looks for it.
    let ran = false;
    ctx.sleep = async () => {
      if (ran) return;
      ran = true;
      await provider.deploy({ environment: 'production', commit: sha }, ctx);
    };
    const found = await provider.deploy({ environment: 'production', commit: sha, follow: true }, ctx);
    expect(found.id).toBe(fake.releases[0]?.id);
  });
});
