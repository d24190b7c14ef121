// doctor reads the platform's own status page (a loopback Statuspage v2 fake) when a service fails.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStatuspage, startFakeStatuspage } from '../../../test/fakes/statuspage/fake-statuspage.js';
import { validateConfigText } from '../../config/validate.js';
import { createRedactor } from '../../redact/index.js';
import { runDoctor } from '../run-doctor.js';

let api: Server;
let render: FakeStatuspage;

async function doctor(statusPage: string) {
  const { port } = api.address() as AddressInfo;
  const { config } = validateConfigText(
    `name: shop
environments: { production: {} }
services:
  api:
    kind: web
    urls: { production: "http://127.0.0.1:${port}" }
    health: [{ type: readiness, path: /health }]
upstreams:
  - { id: render, name: Render, statusPage: "${statusPage}", components: [Web Services], services: [api] }
`,
    'opsbook.yaml',
  );
  if (!config) throw new Error('bad config');
  return runDoctor({
    cwd: '.',
    config,
    configFile: 'opsbook.yaml',
    environment: 'production',
    env: {},
    signal: new AbortController().signal,
    redactor: createRedactor(),
  });
}

describe('the upstream status doctor check', () => {
  beforeAll(async () => {
    api = createServer((_req, res) => {
      res.writeHead(503);
      res.end('upstream connect error');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    render = await startFakeStatuspage('Render', ['Web Services', 'Static Sites']);
  });
  afterAll(async () => {
    await new Promise<void>((r) => api.close(() => r()));
    await render.close();
  });

  it("names the platform's outage first when the failing service runs on it", async () => {
    render.components.set('Web Services', 'major_outage');
    render.incidents = [{ name: 'Web services unavailable', status: 'identified', impact: 'critical' }];
    const report = await doctor(render.url);
    const problems = report.findings.filter((f) => f.verdict === 'problem');
    expect(problems.map((f) => f.check)).toEqual(['upstream', 'health']);
    expect(problems[0]).toMatchObject({
      found: 'Render: major outage (Web Services); incident: Web services unavailable (identified)',
      fix: expect.stringContaining('a rollback will not help'),
      details: [
        expect.stringContaining('Web services unavailable (identified, impact critical) https://stspg.io/'),
      ],
    });
  });

  it('says the cause is on our side when the platform reports operational', async () => {
    render.components.set('Web Services', 'operational');
    render.incidents = [];
    const report = await doctor(render.url);
    expect(report.findings.find((f) => f.check === 'upstream')).toMatchObject({
      verdict: 'ok',
      found: 'Render reports Web Services operational: the cause of api failing is on our side',
    });
    expect(report.findings[0]?.check).toBe('health');
  });

  it('is never ok when the status page cannot be read', async () => {
    const report = await doctor('http://127.0.0.1:9');
    expect(report.findings.find((f) => f.check === 'upstream')).toMatchObject({
      verdict: 'warning',
      found: expect.stringContaining('could not tell whether Render is up'),
    });
  });
});
