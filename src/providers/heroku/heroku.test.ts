import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHeroku, startFakeHeroku } from '../../../test/fakes/heroku/fake-heroku.js';
import { createTestContext, waitForTerminal } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createHerokuProvider } from './heroku.js';

const TOKEN = 'hrku_UnitApiKey0001'; // gitleaks:allow (a fake token for this test)
let fake: FakeHeroku;
afterEach(() => fake?.close());

describe('the Heroku provider', () => {
  it("reads the app's runtime lines through a log session, each line once", async () => {
    fake = await startFakeHeroku({ token: TOKEN });
    const service = { name: 'api', kind: 'web', provider: { type: 'heroku', app: fake.app } };
    const provider = createHerokuProvider(service as ResolvedService, { baseUrl: fake.url });
    const ctx = createTestContext({ HEROKU_API_KEY: TOKEN });
    fake.log('2026-01-01T10:00:00.000000+00:00 app[web.1]: listening on 5000');
    fake.log('2026-01-01T10:00:01.000000+00:00 heroku[router]: at=info method=GET path="/" status=200');
    const first = await provider.serviceLogs!(ctx);
    expect(first.lines.map((l) => l.at)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:01.000Z']);
    fake.log('2026-01-01T10:00:02.000000+00:00 app[web.1]: Error: ECONNREFUSED');
    const next = await provider.serviceLogs!(ctx, first.cursor);
    expect(next.lines.map((l) => l.text)).toEqual([
      '2026-01-01T10:00:02.000000+00:00 app[web.1]: Error: ECONNREFUSED',
    ]);
    expect(
      fake.requests.some((r) => r.path === `/apps/${fake.app}/log-sessions` && r.method === 'POST'),
    ).toBe(true);
  });
});

describe('the Heroku provider reading a build', () => {
  it('does not wait for ever on an output stream that never answers: the deploy timeout must still apply', async () => {
    fake = await startFakeHeroku({ token: TOKEN });
    const service = {
      name: 'api',
      kind: 'web',
      provider: { type: 'heroku', app: fake.app, source: 'https://x.test/{commit}.tgz' },
    };
    const provider = createHerokuProvider(service as ResolvedService, {
      baseUrl: fake.url,
      streamTimeoutMs: 200,
    });
    const ctx = createTestContext({ HEROKU_API_KEY: TOKEN });
    const build = await provider.deploy({ environment: 'production', commit: 'a'.repeat(40) }, ctx);
    fake.inject({ path: /^\/streams\//, fault: { kind: 'hang' }, times: 10 });
    const read = await Promise.race([
      provider.logs!(build.id, ctx),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3_000)),
    ]);
    expect(read).toEqual({ lines: [], cursor: '0' });
  });
});

describe('the Heroku provider watching dynos', () => {
  it('fails a release Heroku calls succeeded when every dyno crashed', async () => {
    fake = await startFakeHeroku({ token: TOKEN, releasePhase: false });
    const service = {
      name: 'api',
      kind: 'web',
      provider: { type: 'heroku', app: fake.app, source: 'https://x.test/{commit}.tgz' },
    };
    const provider = createHerokuProvider(service as ResolvedService, { baseUrl: fake.url });
    const ctx = createTestContext({ HEROKU_API_KEY: TOKEN });
    const started = await provider.deploy({ environment: 'production', commit: 'a'.repeat(40) }, ctx);
    for (const dyno of fake.dynos) dyno.state = 'crashed';
    const final = (await waitForTerminal(provider, started.id, ctx)).at(-1)!;
    expect(final.state).toBe('failed');
    expect(final.reason).toMatch(/every dyno crashed \(web\.1\)/);
  });
});
