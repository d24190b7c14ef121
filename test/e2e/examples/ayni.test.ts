// ayni on the Railway fake: its deploy.verify.confirm questions go unanswered in CI, so the run pauses and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRailway } from '../../fakes/railway/fake-railway.js';
import { sendJson, startServer, type TestServer } from '../../support/http-server.js';
import { envelope, exampleStack } from './example-stack.js';

const TOKEN = 'e2e_RailwayToken_Pn5Xc8Vb2Mq7Ls4D'; // gitleaks:allow (a fake token for this test)
const GOOD = 'c'.repeat(40);
const NEXT = 'd'.repeat(40);

let app: TestServer;
beforeAll(async () => {
  app = await startServer((req, res) => {
    if (req.url === '/health') return sendJson(res, 200, { status: 'healthy' });
    if (req.url === '/api/v1/health')
      return sendJson(res, 200, {
        status: 'healthy',
        services: {
          database: { status: 'healthy', latency_ms: 4 },
          redis: { status: 'healthy', latency_ms: 1 },
        },
      });
    return sendJson(res, 404, {});
  });
});
afterAll(() => app.close());

describe('examples/ayni against the loopback fakes', () => {
  it('pauses a healthy release in CI while its verification questions are unanswered, naming them', async () => {
    const railway = await startFakeRailway({
      token: TOKEN,
      names: { project: 'resilient-flow', environment: 'production', service: 'ayni-backend' },
    });
    railway.seedSuccessfulDeployment(GOOD);
    const stack = await exampleStack('ayni', { RAILWAY_TOKEN: TOKEN, OPSBOOK_RAILWAY_API_URL: railway.url });
    try {
      await stack.set(['services', 'ayni-backend', 'urls', 'production'], app.url);
      // The bake window shortened for the test; everything else is the example's.
      await stack.set(['deploy', 'verify', 'bake'], '4s');
      await stack.set(['deploy', 'verify', 'interval'], '1s');
      railway.pushCommit(NEXT);
      const run = await stack.run([
        'deploy',
        '--yes',
        '--skip-gates',
        '--service',
        'ayni-backend',
        '--commit',
        NEXT,
        '--json',
      ]);
      const result = envelope(run);
      expect(run.code, run.stderr).not.toBe(0);
      expect(result.ok).toBe(false);
      expect(result.data.status, run.stdout + run.stderr).toBe('paused');
      expect(String(result.data.message)).toContain('Celery worker processing tasks?');

      // Answered, the same run finishes.
      const resumed = await stack.run([
        'deploy',
        '--resume',
        '--yes',
        ...['verify-1', 'verify-2', 'verify-3', 'verify-4', 'verify-5'].flatMap((id) => ['--confirm', id]),
        '--json',
      ]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(envelope(resumed).data.status).toBe('succeeded');
      expect(run.stdout + run.stderr + resumed.stdout + resumed.stderr).not.toContain(TOKEN);
    } finally {
      await railway.close();
      await stack.close();
    }
  }, 90_000);
});
