import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfigText } from '../config/validate.js';
import { createRedactor } from '../redact/index.js';
import { orderFindings, runDoctor } from './run-doctor.js';
import type { Finding } from './types.js';

const ADMIN = 'adm_Qx7Lm2Wp9Zk4Rt8NvB3c'; // gitleaks:allow (a fake token for this test)
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function adminApi(): Promise<string> {
  server = createServer((req, res) => {
    if (req.url === '/admin/stats' && req.headers.authorization === `Bearer ${ADMIN}`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ p95_ms: 840, slow_queries: ['SELECT * FROM notes'], token: ADMIN }));
      return;
    }
    res.writeHead(req.url === '/health' ? 200 : 401);
    res.end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('runDoctor', () => {
  it('warns that an empty migrations folder compares nothing, instead of "every migration is applied"', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsbook-doctor-'));
    mkdirSync(join(cwd, 'db', 'migrations'), { recursive: true });
    const { config } = validateConfigText(
      `name: shop
environments: { production: {} }
services:
  db: { kind: database, env: { DATABASE_URL: { secret: true } } }
migrations: { database: db, dir: db/migrations }
`,
      'opsbook.yaml',
    );
    if (!config) throw new Error('bad config');
    const report = await runDoctor({
      cwd,
      config,
      configFile: 'opsbook.yaml',
      environment: 'production',
      env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
      signal: new AbortController().signal,
      redactor: createRedactor(),
    });
    expect(report.findings.find((f) => f.check === 'migrations')).toMatchObject({
      verdict: 'warning',
      found: 'no migration files in db/migrations, so none could be compared with the database',
    });
  });

  it('orders problems before warnings, the likeliest cause first', () => {
    const f = (verdict: Finding['verdict'], rank: number): Finding => ({
      check: `${verdict}${rank}`,
      verdict,
      rank,
      looked: '',
      found: '',
    });
    expect(
      orderFindings([f('ok', 1), f('warning', 10), f('problem', 45), f('problem', 10), f('skipped', 0)]).map(
        (x) => x.check,
      ),
    ).toEqual(['problem10', 'problem45', 'warning10', 'ok1', 'skipped0']);
  });

  it('shows a detailed endpoint fetched with its auth, and the live state of a Redis', async () => {
    const url = await adminApi();
    const { config } = validateConfigText(
      `name: shop
environments: { production: {} }
services:
  api:
    kind: web
    urls: { production: "${url}" }
    dependsOn: [cache]
    health:
      - { type: liveness, path: /health }
      - { type: detailed, name: perf-stats, path: /admin/stats, auth: { type: bearer, token: { env: ADMIN_TOKEN } } }
    env: { REDIS_URL: { url: true } }
  cache: { kind: cache, engine: { name: redis } }
`,
      'opsbook.yaml',
    );
    if (!config) throw new Error('bad config');
    const redactor = createRedactor();
    const report = await runDoctor({
      cwd: '.',
      config,
      configFile: 'opsbook.yaml',
      environment: 'production',
      env: { ADMIN_TOKEN: ADMIN, REDIS_URL: process.env.OPSBOOK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
      signal: new AbortController().signal,
      redactor,
    });
    const detailed = report.findings.find((x) => x.check === 'detailed');
    expect(detailed).toMatchObject({ service: 'api', verdict: 'ok', found: 'HTTP 200' });
    expect(detailed?.details?.join('\n')).toContain('"p95_ms": 840');
    expect(JSON.stringify(report)).not.toContain(ADMIN);
    const cache = report.findings.filter((x) => x.check === 'cache');
    expect(cache.map((x) => x.looked)).toEqual(
      expect.arrayContaining(['memory of cache against maxmemory', 'evictions in cache', 'clients of cache']),
    );
    expect(cache[0]).toMatchObject({
      verdict: 'ok',
      looked: expect.stringMatching(/^a redis connection to cache/),
    });
    expect(cache.find((x) => x.looked.startsWith('memory'))?.found).toMatch(/MiB/);
  });

  it('says nothing listens at HOST:PORT when a connection is refused, not the raw error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { config } = validateConfigText(
      `name: shop
environments: { production: {} }
services:
  web: { kind: static, urls: { production: "https://app.example.com" }, dependsOn: [api] }
  api:
    kind: web
    urls: { production: "http://127.0.0.1:${port}" }
    health:
      - { type: liveness, path: /health }
      - { type: detailed, name: perf-stats, path: /admin/stats }
`,
      'opsbook.yaml',
    );
    if (!config) throw new Error('bad config');
    const report = await runDoctor({
      cwd: '.',
      config,
      configFile: 'opsbook.yaml',
      environment: 'production',
      service: 'api',
      env: {},
      signal: new AbortController().signal,
      redactor: createRedactor(),
    });
    const where = `nothing listens at 127.0.0.1:${port} (connection refused)`;
    const health = report.findings.find((x) => x.check === 'health');
    expect(health).toMatchObject({ verdict: 'problem', found: expect.stringContaining(where) });
    expect(health?.fix).toMatch(/^nothing answers at api's URL: start it/);
    // The probe's error and its failure list say the same thing: it is shown once.
    expect(health?.details).toEqual([`liveness: ${where}`]);
    expect(report.findings.find((x) => x.check === 'detailed')?.found).toBe(`no answer: ${where}`);
    expect(JSON.stringify(report)).not.toMatch(/ECONNREFUSED|fetch failed/);
  });
});
