import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedService } from '../../config/index.js';
import { validateConfigText } from '../../config/validate.js';
import { type EnvFingerprint, fingerprintEnv } from '../../env-fingerprint/index.js';
import type { Provider } from '../../providers/index.js';
import { createRedactor } from '../../redact/index.js';
import { runDoctor } from '../run-doctor.js';

const SECRET = 'Jq5Wm8Xt2Zr7Lp4N'; // gitleaks:allow (a fake secret for this test)
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function api(status: number): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(status);
    res.end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

async function doctor(status: number, platform: Record<string, string>, fingerprints: EnvFingerprint[]) {
  const { config } = validateConfigText(
    `name: shop
environments: { production: {} }
services:
  api:
    kind: web
    provider: { type: command, deploy: "true" }
    urls: { production: "${await api(status)}" }
    health: [{ type: liveness, path: /health }]
`,
    'opsbook.yaml',
  );
  if (!config) throw new Error('bad config');
  const provider = (service: ResolvedService): Provider => ({
    type: 'command',
    service,
    deploy: async () => {
      throw new Error('unused');
    },
    getDeploy: async () => {
      throw new Error('unused');
    },
    rollback: async () => {
      throw new Error('unused');
    },
    listDeploys: async () => [],
    getEnv: async () => ({ ...platform }),
  });
  return runDoctor({
    cwd: '.',
    config,
    configFile: 'opsbook.yaml',
    environment: 'production',
    env: {},
    signal: new AbortController().signal,
    redactor: createRedactor([SECRET]),
    providerFor: provider,
    envFingerprints: fingerprints,
  });
}

describe('env drift against the last good deploy', () => {
  const good = { DATABASE_URL: `postgres://app:${SECRET}@db:5432/shop`, LOG_LEVEL: 'info', OLD: 'x' };
  const recorded = () =>
    fingerprintEnv({ service: 'api', environment: 'production', runId: 'run-7', values: good });

  it('names the variables changed since, first, as the likely cause while the service fails', async () => {
    const drifted = { ...good, DATABASE_URL: 'postgres://app:other@db2:5432/shop', NEW: 'y' }; // gitleaks:allow (test URL)
    delete (drifted as Record<string, string>).OLD;
    const report = await doctor(503, drifted, [await recorded()]);
    expect(report.findings[0]).toMatchObject({
      check: 'env',
      service: 'api',
      verdict: 'problem',
      found: expect.stringMatching(
        /^changed: DATABASE_URL; added: NEW; removed: OLD on command since the last good deploy \(run run-7, /,
      ),
      fix: expect.stringContaining('set the previous value(s) back'),
    });
    // Names only: neither the old nor the new value reaches the report.
    expect(JSON.stringify(report)).not.toMatch(/other@db2|Jq5Wm8/);
  });

  it('says nothing changed when the hashes match, and warns (not fails) on a change while healthy', async () => {
    const same = await doctor(200, good, [await recorded()]);
    expect(same.findings.find((f) => f.looked.includes('last good deploy'))).toMatchObject({
      verdict: 'ok',
      found: expect.stringMatching(/^no variable changed since the last good deploy/),
    });
    const changed = await doctor(200, { ...good, LOG_LEVEL: 'debug' }, [await recorded()]);
    expect(changed.findings.find((f) => f.looked.includes('last good deploy'))).toMatchObject({
      verdict: 'warning',
      found: expect.stringMatching(/^changed: LOG_LEVEL on/),
    });
  });

  it('cannot decide without a recorded deploy, and does not pretend it did', async () => {
    const report = await doctor(200, good, []);
    expect(report.findings.find((f) => f.looked.includes('last good deploy'))).toMatchObject({
      verdict: 'skipped',
      found: expect.stringContaining('nothing to compare with'),
    });
  });
});
