// `env check --from provider` on the Fly.io, Heroku and Netlify fakes: each service's contract against the values
// its own platform's API returns (Fly secrets are write-only: present, not readable).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeFly, startFakeFly } from '../../../test/fakes/fly/fake-fly.js';
import { type FakeHeroku, startFakeHeroku } from '../../../test/fakes/heroku/fake-heroku.js';
import { type FakeNetlify, startFakeNetlify } from '../../../test/fakes/netlify/fake-netlify.js';
import { loadConfig } from '../../config/index.js';
import { createRedactor } from '../../redact/index.js';
import { checkEnv } from './check.js';

const TOKEN = 'env_PlatformToken_Wq8Zp3Lm6Xr2'; // gitleaks:allow (a fake token for this test)
let fly: FakeFly;
let heroku: FakeHeroku;
let netlify: FakeNetlify;
let cwd: string;

beforeAll(async () => {
  [fly, heroku, netlify] = await Promise.all([
    startFakeFly({ token: TOKEN, machines: 1 }),
    startFakeHeroku({ token: TOKEN, releasePhase: false }),
    startFakeNetlify({ token: TOKEN }),
  ]);
  heroku.configVars.LOG_LEVEL = 'verbose';
  netlify.env.push({ key: 'API_URL', values: [{ context: 'production', value: 'http://api.shopdemo.io' }] });
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-env-platforms-'));
  await writeFile(
    join(cwd, 'opsbook.yaml'),
    `name: shop
environments: { production: {} }
services:
  api:
    kind: web
    provider: { type: fly, app: ${fly.app} }
    env:
      PORT: {}
      DATABASE_URL: { secret: true, url: true }
      SENTRY_DSN: {}
  worker:
    kind: worker
    provider: { type: heroku, app: ${heroku.app} }
    env: { LOG_LEVEL: { enum: [info, warn] } }
  web:
    kind: static
    provider: { type: netlify, site: ${netlify.site.id} }
    env: { API_URL: { https: true } }
`,
  );
}, 30_000);
afterAll(async () => {
  await Promise.all([fly?.close(), heroku?.close(), netlify?.close()]);
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

describe('env check --from provider on Fly.io, Heroku and Netlify', () => {
  it("checks each service against its own platform's values", async () => {
    const loaded = await loadConfig({ cwd });
    const result = await checkEnv({
      cwd,
      config: loaded.config!,
      configFile: loaded.file,
      from: 'provider',
      env: {
        FLY_API_TOKEN: TOKEN,
        OPSBOOK_FLY_API_URL: fly.url,
        HEROKU_API_KEY: TOKEN,
        OPSBOOK_HEROKU_API_URL: heroku.url,
        NETLIFY_AUTH_TOKEN: TOKEN,
        OPSBOOK_NETLIFY_API_URL: netlify.url,
      },
      redactor: createRedactor(),
    });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.path ?? ''}`).sort()).toEqual(
      [
        'error env/missing services.api.env.SENTRY_DSN',
        'error env/not-https services.web.env.API_URL',
        'error env/not-in-enum services.worker.env.LOG_LEVEL',
        'info env/value-not-readable services.api.env.DATABASE_URL',
      ],
    );
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});
