import { afterEach, describe, expect, it } from 'vitest';
import { type FakeNetlify, startFakeNetlify } from '../../../test/fakes/netlify/fake-netlify.js';
import { createTestContext, waitForTerminal } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createNetlifyProvider } from './netlify.js';

const TOKEN = 'nfp_UnitAccessToken0001'; // gitleaks:allow (a fake token for this test)
let fake: FakeNetlify;
afterEach(() => fake?.close());

async function setup() {
  fake = await startFakeNetlify({ token: TOKEN });
  const service = { name: 'web', kind: 'static', provider: { type: 'netlify', site: fake.site.id } };
  return {
    provider: createNetlifyProvider(service as ResolvedService, { baseUrl: fake.url }),
    ctx: createTestContext({ NETLIFY_AUTH_TOKEN: TOKEN }),
  };
}

describe('the Netlify provider', () => {
  it('switches auto publishing off by locking the published deploy: a later build is ready but never live', async () => {
    const { provider, ctx } = await setup();
    fake.setHead('a'.repeat(40));
    const first = await provider.deploy({ environment: 'production' }, ctx);
    expect((await waitForTerminal(provider, first.id, ctx)).at(-1)?.state).toBe('live');

    expect(await provider.setAutoDeploy!(false, ctx)).toBe(true);
    expect(fake.site.published_deploy?.locked).toBe(true);
    // Already locked: unlock must not unlock what opsbook did not lock.
    expect(await provider.setAutoDeploy!(false, ctx)).toBe(false);
    fake.setHead('b'.repeat(40));
    const second = await provider.deploy({ environment: 'production' }, ctx);
    const final = (await waitForTerminal(provider, second.id, ctx)).at(-1)!;
    expect(final.state).toBe('failed');
    expect(final.reason).toMatch(/ready but not published: auto publishing is locked/);
    expect(fake.published()?.id).toBe(first.id);

    await provider.setAutoDeploy!(true, ctx);
    expect(fake.site.published_deploy?.locked).toBe(false);
  });

  it('says which commit it built when the branch head is not the commit asked for', async () => {
    const { provider, ctx } = await setup();
    fake.setHead('c'.repeat(40));
    await provider.deploy({ environment: 'production', commit: 'd'.repeat(40) }, ctx);
    expect(ctx.logs.join('\n')).toMatch(/the build is of cccccccccccc, the head of the production branch/);
  });

  it('follows a push: waits for the deploy Netlify starts for the commit instead of giving up at once', async () => {
    const { provider, ctx } = await setup();
    const sha = 'e'.repeat(40);
    fake.setHead(sha);
    // The push reaches Netlify while opsbook already looks for its deploy.
    let pushed = false;
    ctx.sleep = async () => {
      if (pushed) return;
      pushed = true;
      await fetch(`${fake.url}/sites/${fake.site.id}/builds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
    };
    const found = await provider.deploy({ environment: 'production', commit: sha, follow: true }, ctx);
    expect(found.commit).toBe(sha);
  });
});
