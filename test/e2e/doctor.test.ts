// `opsbook doctor` on a demo-shaped stack (web -> api -> db, api deployed and verified on a Heroku fake), broken
// four ways (database down, wrong CORS origin, an env value drifted on the platform since the last good deploy,
// an expired certificate) plus a contract violation: each time the cause comes first, with its fix. Real
// PostgreSQL, real TLS on loopback, a real CORS preflight.
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeHeroku, startFakeHeroku } from '../fakes/heroku/fake-heroku.js';
import {
  closedPort,
  expiredCertificate,
  hasOpenssl,
  selfSignedCertificate,
  sendJson,
  startServer,
  type TestServer,
} from '../support/http-server.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../support/pg.js';
import { commitFor } from '../support/providers/http/context.js';
import { runCli } from '../support/run-cli.js';

const TOKEN = 'hrku_DoctorE2eToken_Zq4Xv8Lm2Wp6'; // gitleaks:allow (a fake token for this test)
const usable = hasOpenssl() && (await pgAvailable());
if (!usable) markPgSkipped('test/e2e/doctor.test.ts needs openssl and PostgreSQL');

interface Finding {
  check: string;
  service?: string;
  verdict: string;
  found: string;
  fix?: string;
}

describe.skipIf(!usable)('opsbook doctor on a broken stack', () => {
  let dir: string;
  let heroku: FakeHeroku;
  let api: TestServer;
  let web: TestServer;
  let expired: TestServer;
  let caFile: string;
  /** What the api answers a preflight with: its CORS setting. */
  let allowOrigin = '*';
  let databaseUrl = pgUrl();

  const config = (webUrl: string) => `name: demo
environments: { production: {} }
services:
  web:
    kind: static
    urls: { production: "${webUrl}" }
    dependsOn: [api]
  api:
    kind: web
    provider: { type: heroku, app: ${heroku.app}, source: "https://github.com/org/shop/archive/{commit}.tar.gz" }
    urls: { production: "${api.url}" }
    dependsOn: [db]
    health: [{ type: deep, path: /api/health, expect: { status: 200 } }]
    env:
      DATABASE_URL: { secret: true, url: true }
      LOG_LEVEL: { enum: [info, warn] }
      CORS_ORIGIN: { required: false, description: Origins the browser may call from }
  db:
    kind: database
    engine: { name: postgres }
deploy:
  verify: { bake: 2s, interval: 1s, failureLimit: 1 }
`;

  const cliEnv = () => {
    const { HEROKU_API_KEY: _, DATABASE_URL: __, ...inherited } = process.env;
    return {
      ...inherited,
      NO_COLOR: '1',
      HEROKU_API_KEY: TOKEN,
      OPSBOOK_HEROKU_API_URL: heroku.url,
      DATABASE_URL: databaseUrl,
      NODE_EXTRA_CA_CERTS: caFile,
    };
  };

  const doctor = async (webUrl = web.url) => {
    await writeFile(join(dir, 'opsbook.yaml'), config(webUrl));
    const run = await runCli(['doctor', '--json'], dir, cliEnv());
    const report = JSON.parse(run.stdout) as { ok: boolean; data: { findings: Finding[]; problems: number } };
    return { code: run.code, stderr: run.stderr, stdout: run.stdout, ...report.data };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-e2e-doctor-'));
    heroku = await startFakeHeroku({ token: TOKEN, releasePhase: false });
    heroku.configVars.DATABASE_URL = 'postgres://app:Pz8Kq3Wn6Vb1Xr5T@db-7f3.shopdemo.io:5432/shop'; // gitleaks:allow (fake)
    heroku.configVars.LOG_LEVEL = 'info';
    const deployedDatabaseUrl = heroku.configVars.DATABASE_URL;
    api = await startServer((req, res: ServerResponse) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': allowOrigin,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'content-type, authorization',
        });
        res.end();
        return;
      }
      // The app reaches its database while both the database runs and its DATABASE_URL is the deployed one.
      const dbUp = databaseUrl === pgUrl() && heroku.configVars.DATABASE_URL === deployedDatabaseUrl;
      sendJson(res, dbUp ? 200 : 503, {
        status: dbUp ? 'healthy' : 'unhealthy',
        services: { database: { status: dbUp ? 'up' : 'down' } },
      });
    });
    const good = selfSignedCertificate(30);
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, good.cert);
    web = await startServer((_req, res) => sendJson(res, 200, { ok: true }), good);
    const old = expiredCertificate();
    writeFileSync(caFile, `${good.cert}\n${old.cert}`);
    expired = await startServer((_req, res) => sendJson(res, 200, { ok: true }), old);
    // A verified deploy: the last good state whose env (by hash) the drift check compares with.
    await writeFile(join(dir, 'opsbook.yaml'), config(web.url));
    const deploy = await runCli(
      ['deploy', '--yes', '--skip-gates', '--commit', commitFor('v1'), '--json'],
      dir,
      cliEnv(),
    );
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([heroku?.close(), api?.close(), web?.close(), expired?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds no problem on the healthy stack', async () => {
    const r = await doctor();
    expect(r.problems, JSON.stringify(r.findings, null, 2)).toBe(0);
    expect(r.code).toBe(0);
    for (const check of ['tls', 'database', 'credentials', 'env', 'cors', 'health'])
      expect(
        r.findings.some((f) => f.check === check && f.verdict === 'ok'),
        check,
      ).toBe(true);
    // The deploy in beforeAll recorded the env's hashes; nothing changed since.
    expect(r.findings.map((f) => f.found)).toContainEqual(
      expect.stringMatching(/^no variable changed since the last good deploy/),
    );
  }, 60_000);

  it('database down: names the database first, with the fix', async () => {
    databaseUrl = `postgres://postgres@127.0.0.1:${await closedPort()}/test`;
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(r.findings[0]).toMatchObject({ check: 'database', service: 'db', verdict: 'problem' });
      expect(r.findings[0]?.found).toMatch(
        /^cannot connect: nothing listens at 127\.0\.0\.1:\d+ \(connection refused\)$/,
      );
      expect(r.findings[0]?.fix).toMatch(/start the database/);
      // The api's failing health is a symptom, shown after the cause and pointing back at it.
      const health = r.findings.find((f) => f.check === 'health' && f.service === 'api');
      expect(health?.fix).toMatch(/fix db first/);
    } finally {
      databaseUrl = pgUrl();
    }
  }, 60_000);

  it('wrong CORS origin: names what the server allowed and what the browser needs', async () => {
    allowOrigin = 'https://old-frontend.example.com';
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(r.findings[0]).toMatchObject({ check: 'cors', service: 'api', verdict: 'problem' });
      expect(r.findings[0]?.found).toContain(
        `allows origin https://old-frontend.example.com, the browser at ${new URL(web.url).origin} needs`,
      );
      expect(r.findings[0]?.fix).toBe(`set CORS_ORIGIN on api to include ${new URL(web.url).origin}`);
    } finally {
      allowOrigin = '*';
    }
  }, 60_000);

  it('an env value drifted on the platform since the last good deploy: names the variable, never its value', async () => {
    const moved = 'postgres://app:Mv3Tq8Zc5Wn2Kx7R@db-new.shopdemo.io:5432/shop'; // gitleaks:allow (fake)
    const before = heroku.configVars.DATABASE_URL ?? '';
    heroku.configVars.DATABASE_URL = moved;
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(r.findings[0]).toMatchObject({ check: 'env', service: 'api', verdict: 'problem' });
      expect(r.findings[0]?.found).toMatch(
        /^changed: DATABASE_URL on heroku since the last good deploy \(run /,
      );
      expect(r.findings[0]?.fix).toMatch(/set the previous value\(s\) back on heroku/);
      // The failing health is shown after it.
      expect(r.findings.findIndex((f) => f.check === 'health' && f.service === 'api')).toBeGreaterThan(0);
      expect(r.stdout).not.toContain('Mv3Tq8Zc5Wn2Kx7R');
      expect(r.stdout).not.toContain('db-new.shopdemo.io');
    } finally {
      heroku.configVars.DATABASE_URL = before;
    }
  }, 60_000);

  it('an env value on the platform breaks the contract: names the variable, the service and the platform', async () => {
    heroku.configVars.LOG_LEVEL = 'verbose';
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(r.findings[0]).toMatchObject({ check: 'env', service: 'api', verdict: 'problem' });
      expect(r.findings[0]?.found).toMatch(/LOG_LEVEL \(api\) is not one of info, warn/);
      expect(r.findings[0]?.fix).toBeTruthy();
    } finally {
      heroku.configVars.LOG_LEVEL = 'info';
    }
  }, 60_000);

  it('an expired certificate: names the host, the date and the renewal', async () => {
    const r = await doctor(expired.url);
    expect(r.code).toBe(1);
    expect(r.findings[0]).toMatchObject({ check: 'tls', service: 'web', verdict: 'problem' });
    expect(r.findings[0]?.found).toMatch(/expired on 2020-02-01/);
    expect(r.findings[0]?.fix).toMatch(/renew the certificate of 127\.0\.0\.1/);
    expect(r.stdout).not.toContain(TOKEN);
  }, 60_000);
});
