import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expiredCertificate,
  hasOpenssl,
  selfSignedCertificate,
  startServer,
  type TestServer,
} from '../../../test/support/http-server.js';
import { stackSchema } from '../../config/schema.js';
import type { MaintenanceTask } from '../types.js';
import { certificatesCheck } from './certificates.js';

const config = (urls: Record<string, string>, extra: Record<string, unknown> = {}) => {
  const c = stackSchema.parse({
    name: 'demo',
    services: Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [name, { kind: 'web', urls: { production: url } }]),
    ),
    maintenance: [{ id: 'certs', title: 'Certificates', every: 'weekly', check: 'certificates', ...extra }],
  });
  return { config: c, task: c.maintenance[0] as MaintenanceTask };
};

describe.skipIf(!hasOpenssl())('the certificates check', () => {
  const servers: TestServer[] = [];
  let dir: string;
  let fresh: { key: string; cert: string };
  let long: TestServer;
  let short: TestServer;
  let expired: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-certs-'));
    fresh = selfSignedCertificate(90);
    long = await startServer((_q, r) => r.end('ok'), fresh);
    const soon = selfSignedCertificate(5);
    short = await startServer((_q, r) => r.end('ok'), soon);
    expired = await startServer((_q, r) => r.end('ok'), expiredCertificate());
    servers.push(long, short, expired);
    writeFileSync(join(dir, 'ca.pem'), fresh.cert + soon.cert);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (urls: Record<string, string>, env: NodeJS.ProcessEnv = {}, extra = {}) => {
    const { config: c, task } = config(urls, extra);
    return certificatesCheck({ task, config: c, cwd: dir, env, now: new Date() });
  };
  const trusted = () => ({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });

  it('passes a trusted certificate that names its host and lasts beyond the threshold', async () => {
    const e = await run({ api: `${long.url}/` }, trusted());
    expect(e.summary).toBe('1 certificate(s) valid for more than 14 days and matching their host');
    expect(e.ok).toBe(true);
    expect(e.findings[0]?.message).toMatch(/^127\.0\.0\.1:\d+ \(api \(production\)\): valid until /);
    // A stricter threshold than the 90 days it has left fails it.
    const strict = await run({ api: long.url }, trusted(), { expiresWithinDays: 120 });
    expect(strict.ok).toBe(false);
    expect(strict.findings[0]?.message).toMatch(/the certificate expires in (89|90) day\(s\)/);
  });

  it('fails a certificate expiring within 14 days, an expired one, and one for another host', async () => {
    const port = new URL(long.url).port;
    const e = await run(
      { soon: short.url, old: expired.url, other: `https://localhost:${port}/health` },
      trusted(),
    );
    expect(e.ok).toBe(false);
    expect(e.summary).toBe('3 of 3 certificate(s) need attention');
    const text = e.findings.map((f) => f.message).join('\n');
    expect(text).toMatch(/\(soon \(production\)\): the certificate expires in [45] day\(s\)/);
    expect(text).toMatch(/\(old \(production\)\): the certificate expired on 2020-02-01/);
    expect(text).toMatch(/localhost:\d+ \(other \(production\)\): the certificate does not name localhost/);
    expect(e.findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('fails an untrusted certificate and one it cannot read, and cannot tell without an https URL', async () => {
    const untrusted = await run({ api: long.url });
    expect(untrusted.ok).toBe(false);
    expect(untrusted.findings[0]?.message).toMatch(/not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    const closed = await startServer((_q, r) => r.end('ok'));
    const port = new URL(closed.url).port;
    await closed.close();
    const unreadable = await run({ api: `https://127.0.0.1:${port}` });
    expect(unreadable.ok).toBe(false);
    expect(unreadable.summary).toBe('1 of 1 certificate(s) need attention (1 could not be read)');
    const none = await run({ api: 'http://127.0.0.1:1/' });
    expect(none).toEqual({
      ok: false,
      summary:
        'cannot tell: the config names no https URL (services urls, health endpoints, environment urls)',
      findings: [],
    });
  });
});
