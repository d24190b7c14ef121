import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import type { HealthReport } from '../health/index.js';
import { createOutput } from '../output/index.js';
import { run } from './health.js';
import { HEALTH_ARGS } from './specs-operate.js';

let server: TestServer;
let dir: string;
let searchStatus = 200;
let analyticsStatus = 200;

beforeAll(async () => {
  server = await startServer((req, res) =>
    req.url === '/search/ready'
      ? sendJson(res, searchStatus, {})
      : req.url === '/analytics/ready'
        ? sendJson(res, analyticsStatus, {})
        : sendJson(res, 200, { status: 'healthy' }),
  );
  dir = mkdtempSync(join(tmpdir(), 'opsbook-health-'));
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    `name: shop
monitoring: { retries: 0 }
services:
  api:
    kind: web
    urls: { production: ${server.url} }
    dependsOn: [search, { service: stripe, critical: false }, { service: analytics, critical: false }]
    health:
      - { type: deep, path: /health, expect: { body: [{ path: status, equals: healthy }] } }
  search:
    kind: web
    urls: { production: ${server.url}/search }
    health: [{ type: readiness, path: /ready }]
  stripe: { kind: external }
  analytics:
    kind: web
    urls: { production: ${server.url}/analytics }
    health: [{ type: readiness, path: /ready }]
`,
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runHealth(values: CommandValues<typeof HEALTH_ARGS> = {}) {
  let stdout = '';
  const out = createOutput({
    mode: 'plain',
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: {},
  });
  const outcome = await run(commandInput(HEALTH_ARGS, { values, cwd: dir, out }));
  outcome.print?.(out);
  return { outcome, stdout, report: outcome.data as HealthReport };
}

describe('opsbook health', () => {
  it('prints a row per service and the stack status, exit 0 when healthy', async () => {
    searchStatus = 200;
    const { outcome, stdout } = await runHealth();
    expect(outcome).toMatchObject({ ok: true, exitCode: 0 });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('shop · production');
    expect(lines[1]).toMatch(/^SERVICE\s+STATUS\s+PROBE\s+LATENCY\s+WHY$/);
    expect(lines[2]).toMatch(/^api\s+healthy\s+deep up\s+\d+ ms\s+-$/);
    expect(lines[4]).toMatch(/^stripe\s+unknown\s+-\s+-\s+external service: no probe configured$/);
    expect(lines.at(-1)).toBe('ok stack healthy: not known: stripe');
  });

  it('exits 1 with the reasons when a critical dependency is down', async () => {
    searchStatus = 503;
    const { outcome, stdout, report } = await runHealth();
    expect(outcome).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.state).toBe('unhealthy');
    expect(stdout).toMatch(/^api\s+unhealthy\s+deep up\s+\d+ ms\s+critical dependency search is unhealthy$/m);
    expect(stdout).toMatch(
      /^stack unhealthy: api is unhealthy \(through its dependencies\); search is unhealthy; not known: stripe$/m,
    );
    expect(stdout).toMatch(
      /^search\s+unhealthy\s+readiness down\s+\d+ ms\s+readiness: status 503, expected 200$/m,
    );
  });

  it('exits 1 when a service fails its own endpoint, though only a non-critical edge leads to it', async () => {
    searchStatus = 200;
    analyticsStatus = 503;
    const { outcome, stdout, report } = await runHealth();
    analyticsStatus = 200;
    expect(outcome).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.state).toBe('unhealthy');
    expect(stdout).toMatch(
      /^api\s+degraded\s+deep up\s+\d+ ms\s+non-critical dependency analytics is unhealthy$/m,
    );
    expect(stdout).toMatch(/^analytics\s+unhealthy\s+readiness down/m);
    expect(stdout).toMatch(
      /^stack unhealthy: api is degraded \(through its dependencies\); analytics is unhealthy/m,
    );
  });

  it('exits 1 instead of ok when nothing could be probed: the stack is unknown, not healthy', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'opsbook-health-'));
    writeFileSync(
      join(empty, 'opsbook.yaml'),
      'name: shop\nservices:\n  api: { kind: web, health: [{ type: readiness, path: /ready }] }\n',
    );
    const out = createOutput({
      mode: 'plain',
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: {},
    });
    const outcome = await run(commandInput(HEALTH_ARGS, { values: {}, cwd: empty, out }));
    rmSync(empty, { recursive: true, force: true });
    expect((outcome.data as HealthReport).state).toBe('unknown');
    expect(outcome).toMatchObject({ ok: false, exitCode: 1 });
  });

  it('narrows to one service with --service', async () => {
    searchStatus = 200;
    const { report } = await runHealth({ service: 'search' });
    expect(report.services.map((s) => s.service)).toEqual(['search']);
    expect(report.state).toBe('healthy');
  });
});
