// aria on the Render fake: a ModuleNotFoundError in the new release's log during the bake window pauses the run, saying so.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRender } from '../../fakes/render/fake-render.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';
import { envelope, exampleStack } from './example-stack.js';

const TOKEN = 'e2e_RenderToken_Aj3Nq8Wv5Kx2Ty7B'; // gitleaks:allow (a fake token for this test)
const GOOD = 'e'.repeat(40);
const BAD = 'f'.repeat(40);

let app: TestServer;
beforeAll(async () => {
  app = await startServer((req, res) =>
    req.url === '/api/v1/health'
      ? sendJson(res, 200, { status: 'healthy' })
      : sendJson(res, 200, { ok: true }),
  );
});
afterAll(() => app.close());

describe('examples/aria against the loopback fakes', () => {
  it('pauses a release that logs a ModuleNotFoundError during the bake window, with the line as the reason', async () => {
    const render = await startFakeRender({ token: TOKEN, serviceName: 'aria-api' });
    render.seedLiveDeploy(GOOD);
    const stack = await exampleStack('aria', { RENDER_API_KEY: TOKEN, OPSBOOK_RENDER_API_URL: render.url });
    try {
      // The example's `supabase db push --linked` runs before the deploy: a stand-in on PATH does what the
      // CLI does when nothing is pending (exit 0), as the supabase CLI is not installed here.
      const bin = join(stack.dir, 'bin');
      await mkdir(bin);
      await writeFile(join(bin, 'supabase'), '#!/bin/sh\necho "Remote database is up to date."\n');
      await chmod(join(bin, 'supabase'), 0o755);
      await mkdir(join(stack.dir, 'backend', 'supabase', 'migrations'), { recursive: true });
      await stack.set(['services', 'aria-api', 'urls', 'production'], app.url);
      await stack.set(['deploy', 'verify', 'bake'], '4s');
      await stack.set(['deploy', 'verify', 'interval'], '1s');

      render.pushCommit(BAD);
      const deploying = stack.run(
        ['deploy', '--yes', '--skip-gates', '--service', 'aria-api', '--commit', BAD, '--json'],
        { PATH: `${bin}:${process.env.PATH}` },
      );
      // The new release starts, then fails to import a module on its first request.
      const deadline = Date.now() + 30_000;
      while (render.deploys[0]?.status !== 'live' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      render.appLog("ModuleNotFoundError: No module named 'graphiti_core'");
      const run = await deploying;
      const result = envelope(run);
      // No rollback criterion names the line and trouble-log is not a trigger here: a person decides.
      expect(run.code, run.stderr).not.toBe(0);
      expect(result.data.status).toBe('paused');
      expect(String(result.data.message)).toContain('ModuleNotFoundError');
      const log = await stack.run(['log', '--full']);
      expect(log.stdout).toContain('ModuleNotFoundError');
      expect(run.stdout + run.stderr + log.stdout).not.toContain(TOKEN);
    } finally {
      await render.close();
      await stack.close();
    }
  }, 90_000);
});
