import { describe, expect, it } from 'vitest';
import type { FakePlatform } from '../../test/fakes/fake-platform.js';
import { startFakeFly } from '../../test/fakes/fly/fake-fly.js';
import { startFakeHeroku } from '../../test/fakes/heroku/fake-heroku.js';
import { startFakeNetlify } from '../../test/fakes/netlify/fake-netlify.js';
import { startFakeRailway } from '../../test/fakes/railway/fake-railway.js';
import { startFakeRender } from '../../test/fakes/render/fake-render.js';
import { startFakeVercel } from '../../test/fakes/vercel/fake-vercel.js';
import { createTestContext } from '../../test/support/providers/http/context.js';
import { type ResolvedService, resolveEnvironment } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { createProvider } from './index.js';

const TOKEN = 'fake_Registry_Token_4Xq8Lm2Wp6';

function service(provider: Record<string, unknown>): ResolvedService {
  const config = stackSchema.parse({
    name: 'test',
    environments: { production: {} },
    services: { api: { kind: 'web', provider } },
  });
  return resolveEnvironment(config, 'production')[0]!;
}

const PLATFORMS: [string, () => Promise<FakePlatform>, Record<string, unknown>, string, string][] = [
  [
    'render',
    () => startFakeRender({ token: TOKEN }),
    { serviceId: 'srv-fake0001' },
    'RENDER_API_KEY',
    'OPSBOOK_RENDER_API_URL',
  ],
  [
    'vercel',
    () => startFakeVercel({ token: TOKEN }),
    { project: 'web' },
    'VERCEL_TOKEN',
    'OPSBOOK_VERCEL_API_URL',
  ],
  [
    'railway',
    () => startFakeRailway({ token: TOKEN }),
    { service: 'svc-0001' },
    'RAILWAY_TOKEN',
    'OPSBOOK_RAILWAY_API_URL',
  ],
  ['fly', () => startFakeFly({ token: TOKEN }), { app: 'shop-api' }, 'FLY_API_TOKEN', 'OPSBOOK_FLY_API_URL'],
  [
    'heroku',
    () => startFakeHeroku({ token: TOKEN }),
    { app: 'shop-api' },
    'HEROKU_API_KEY',
    'OPSBOOK_HEROKU_API_URL',
  ],
  [
    'netlify',
    () => startFakeNetlify({ token: TOKEN, siteId: 'site-0001' }),
    { site: 'site-0001' },
    'NETLIFY_AUTH_TOKEN',
    'OPSBOOK_NETLIFY_API_URL',
  ],
];

const loopbackOnly: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`not a loopback URL: ${url}`);
  return fetch(input, init);
};

describe('the provider registry', () => {
  it.each(PLATFORMS)(
    'sends %s API calls to the URL in its OPSBOOK_*_API_URL override',
    async (type, start, settings, tokenVar, urlVar) => {
      const fake = await start();
      try {
        const provider = createProvider(service({ type, ...settings }), {
          cwd: '.',
          env: { [urlVar]: fake.url },
        });
        // A broken override must fail here, not reach the real platform.
        const ctx = { ...createTestContext({ [tokenVar]: TOKEN }), fetch: loopbackOnly };
        if (provider.setEnv) {
          await provider.setEnv({ OPSBOOK_REGISTRY_CHECK: 'on' }, ctx);
          expect((await provider.getEnv!(ctx)).OPSBOOK_REGISTRY_CHECK).toBe('on');
        } else {
          expect(await provider.listDeploys(ctx)).toEqual([]);
        }
        expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      } finally {
        await fake.close();
      }
    },
  );
});
