// deploy -> failed verification -> automatic rollback, on the Fly.io, Heroku and Netlify fakes, through the built CLI.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeFly } from '../fakes/fly/fake-fly.js';
import { startFakeHeroku } from '../fakes/heroku/fake-heroku.js';
import { startFakeNetlify } from '../fakes/netlify/fake-netlify.js';
import { sendJson, startServer, type TestServer } from '../support/http-server.js';
import { commitFor } from '../support/providers/http/context.js';
import { runCli } from '../support/run-cli.js';

const TOKEN = 'e2e_PlatformToken_Zq4Xv8Lm2Wp6Tn3R'; // gitleaks:allow (a fake token for this test)
const GOOD = commitFor('v1');
const BAD = commitFor('v2');

interface Platform {
  provider: string;
  tokenVar: string;
  urlVar: string;
  url: string;
  /** The commit the platform serves now. */
  serving(): string | undefined;
  /** Before a deploy of `commit` (Netlify builds the branch head). */
  before?(commit: string): void;
  close(): Promise<void>;
}

const PLATFORMS: Record<string, () => Promise<Platform>> = {
  fly: async () => {
    const fake = await startFakeFly({ token: TOKEN, machines: 1 });
    return {
      provider: `{ type: fly, app: ${fake.app} }`,
      tokenVar: 'FLY_API_TOKEN',
      urlVar: 'OPSBOOK_FLY_API_URL',
      url: fake.url,
      serving: () => fake.machines[0]?.config.image.split(':').at(-1),
      close: fake.close,
    };
  },
  heroku: async () => {
    const fake = await startFakeHeroku({ token: TOKEN, releasePhase: false });
    return {
      provider: `{ type: heroku, app: ${fake.app}, source: "https://github.com/org/shop/archive/{commit}.tar.gz" }`,
      tokenVar: 'HEROKU_API_KEY',
      urlVar: 'OPSBOOK_HEROKU_API_URL',
      url: fake.url,
      serving: () => fake.current(),
      close: fake.close,
    };
  },
  netlify: async () => {
    const fake = await startFakeNetlify({ token: TOKEN });
    return {
      provider: `{ type: netlify, site: ${fake.site.id} }`,
      tokenVar: 'NETLIFY_AUTH_TOKEN',
      urlVar: 'OPSBOOK_NETLIFY_API_URL',
      url: fake.url,
      serving: () => fake.published()?.commit_ref ?? undefined,
      before: (commit) => fake.setHead(commit),
      close: fake.close,
    };
  },
};

describe('opsbook deploy on the Fly.io, Heroku and Netlify fakes', () => {
  // Concurrent: each waits mostly on its bake window and polls.
  it.concurrent.each(Object.keys(PLATFORMS))(
    '%s: rolls back automatically when the new release fails verification, and the old one serves again',
    async (name) => {
      const platform = await PLATFORMS[name]!();
      let app: TestServer | undefined;
      let dir: string | undefined;
      try {
        // The app: healthy while the good commit serves, 500 while the bad one does.
        app = await startServer((_req, res) =>
          platform.serving() === BAD
            ? sendJson(res, 500, { status: 'error' })
            : sendJson(res, 200, { status: 'ok' }),
        );
        const appUrl = app.url;
        const work = await mkdtemp(join(tmpdir(), `opsbook-e2e-${name}-`));
        dir = work;
        await writeFile(
          join(work, 'opsbook.yaml'),
          `name: shop
environments: { production: {} }
services:
  api:
    kind: web
    provider: ${platform.provider}
    urls: { production: "${appUrl}" }
    health: [{ type: readiness, path: /ready }]
deploy:
  verify: { bake: 2s, interval: 1s, failureLimit: 1 }
  rollback: { automatic: true, on: [deploy-failed, health-failed], lockAfter: false }
`,
        );
        const { [platform.tokenVar]: _, ...inherited } = process.env;
        const env = {
          ...inherited,
          NO_COLOR: '1',
          [platform.tokenVar]: TOKEN,
          [platform.urlVar]: platform.url,
        };
        const deploy = (commit: string) => {
          platform.before?.(commit);
          return runCli(['deploy', '--yes', '--skip-gates', '--commit', commit, '--json'], work, env);
        };

        const first = await deploy(GOOD);
        expect(first.code, first.stderr).toBe(0);
        expect(platform.serving()).toBe(GOOD);

        const second = await deploy(BAD);
        const result = JSON.parse(second.stdout) as { ok: boolean; data: { status: string } };
        expect(second.code, second.stderr).toBe(1);
        expect(result.data.status).toBe('rolled-back');
        expect(platform.serving()).toBe(GOOD);
        expect(second.stdout + second.stderr).not.toContain(TOKEN);
      } finally {
        await platform.close();
        await app?.close();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
