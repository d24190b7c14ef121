// kamiyo on the Render fake: its API's readiness answers 503 after the deploy; the run rolls back and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRender } from '../../fakes/render/fake-render.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';
import { envelope, exampleStack } from './example-stack.js';

const TOKEN = 'e2e_RenderToken_Kq7Wm2Xp9Lz4Rt6V'; // gitleaks:allow (a fake token for this test)
const GOOD = 'a'.repeat(40);
const BAD = 'b'.repeat(40);

let app: TestServer;
/** Whether the release live on the platform answers readiness. */
let ready = () => 200;
beforeAll(async () => {
  app = await startServer((req, res) => {
    const status = ready();
    if (req.url?.startsWith('/health'))
      return sendJson(res, 200, { status: 'healthy', database_exploits: 42 });
    if (req.url?.startsWith('/ready'))
      return sendJson(res, status, { status: status === 200 ? 'ready' : 'not ready', database: 'healthy' });
    if (req.url?.startsWith('/exploits')) return sendJson(res, 200, { data: [], total: 0 });
    return sendJson(res, 404, {});
  });
});
afterAll(() => app.close());

describe('examples/kamiyo against the loopback fakes', () => {
  it('rolls back a release whose readiness answers 503, saying so in the run and the deployment log', async () => {
    const render = await startFakeRender({
      token: TOKEN,
      serviceId: 'srv-kamiyo-api',
      serviceName: 'kamiyo-api',
    });
    render.seedLiveDeploy(GOOD);
    const stack = await exampleStack('kamiyo', {
      RENDER_API_KEY: TOKEN,
      OPSBOOK_RENDER_API_URL: render.url,
    });
    try {
      await stack.set(['services', 'kamiyo-api', 'urls', 'production'], app.url);
      // The bake window shortened from 3m for the test; everything else is the example's.
      await stack.set(['deploy', 'verify', 'bake'], '3s');
      await stack.set(['deploy', 'verify', 'interval'], '1s');

      const plan = await stack.run(['deploy', '--dry-run', '--service', 'kamiyo-api']);
      expect(plan.stdout).toContain('production changes 5m 0s later (announcements.leadTime');

      // The push to main starts Render's deploy (trigger: push); the new release's readiness answers 503.
      render.pushCommit(BAD);
      ready = () => (render.deploys.find((d) => d.status === 'live')?.commit?.id === BAD ? 503 : 200);
      const run = await stack.run([
        'deploy',
        '--yes',
        '--skip-gates',
        '--service',
        'kamiyo-api',
        '--commit',
        BAD,
        '--lead-time',
        '1s',
        '--json',
      ]);
      const result = envelope(run);
      expect(run.code, run.stderr).toBe(1);
      expect(result.data.status).toBe('rolled-back');
      expect(String(result.data.message)).toMatch(/kamiyo-api:ready \(status 503/);
      // The release that served before is live again on the platform.
      expect(render.deploys[0]).toMatchObject({ trigger: 'rollback', status: 'live' });
      expect(render.deploys[0]?.commit?.id).toBe(GOOD);
      const log = await stack.run(['log', '--full']);
      expect(log.stdout).toMatch(/Rollback: Yes - automatic: .*503/);
      expect(log.stdout + run.stdout + run.stderr).not.toContain(TOKEN);
    } finally {
      ready = () => 200;
      await render.close();
      await stack.close();
    }
  }, 90_000);
});
