import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { waitForValue } from '../../test/support/wait-for.js';
import { stackSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
import { openIncident } from '../incidents/index.js';
import { openStore } from '../store/index.js';
import { serve } from './serve.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let target: TestServer;
let cwd: string;

beforeEach(async () => {
  target = await startServer((_req, res) => sendJson(res, 200, { status: 'ok' }));
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-serve-'));
});
afterEach(async () => {
  await target.close();
  await rm(cwd, { recursive: true, force: true });
});

const yaml = () => `name: shop
monitoring: { interval: 500ms, timeout: 400ms, retries: 0 }
services:
  api:
    kind: web
    urls: { production: ${target.url} }
    health: [{ type: liveness, path: /health, timeout: 400ms }]
`;

describe('serve', () => {
  it('checks the monitors, serves status, API and metrics, and stops cleanly', async () => {
    const config = stackSchema.parse((await import('yaml')).parse(yaml()));
    const handle = await serve({ cwd, config, env: {}, port: 0 });
    let closed = false;
    try {
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(handle.monitors).toBe(1);
      await waitForValue('api to be operational', async () => {
        const s = (await (await fetch(`${handle.url}/api/v1/status`)).json()) as {
          components: { state: string }[];
        };
        return s.components[0]?.state === 'operational' ? true : undefined;
      });
      const page = await fetch(`${handle.url}/status`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-state="operational"');
      const metrics = await (await fetch(`${handle.url}/metrics`)).text();
      expect(metrics).toMatch(/^opsbook_up\{service="api",monitor="liveness"\} 1$/m);
      expect(
        Number(/^opsbook_monitor_schedule_lag_seconds_count (\d+)$/m.exec(metrics)?.[1]),
      ).toBeGreaterThan(0);

      await handle.close();
      closed = true;
      await handle.close(); // idempotent
      await expect(fetch(`${handle.url}/status`)).rejects.toThrow();
      const requests = target.requests.length;
      await sleep(1_200);
      expect(target.requests.length).toBe(requests);
    } finally {
      if (!closed) await handle.close();
    }
    const store = await openStore({ cwd, env: {} });
    try {
      expect(await store.monitoring.listInstances()).toEqual([]);
      expect((await store.monitoring.listMonitors()).every((m) => m.leaseOwner === null)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('warns at start about an alert that can never fire with the monitors it has', async () => {
    const config = stackSchema.parse(
      (await import('yaml')).parse(
        `${yaml()}  worker: { kind: worker }
channels: { ops: { type: console } }
alerts:
  - { id: worker-down, service: worker, when: down, channels: [ops] }
  - { id: api-down, service: api, when: down, channels: [ops] }
`,
      ),
    );
    const logged: string[] = [];
    const handle = await serve({
      cwd,
      config,
      env: {},
      port: 0,
      log: (level, m) => logged.push(`${level} ${m}`),
    });
    try {
      expect(logged.filter((l) => l.includes('can never fire'))).toEqual([
        "warn alert 'worker-down' (worker) can never fire: nothing checks worker here (no health endpoint with a URL, connection check or heartbeat), so it cannot see a failure",
      ]);
    } finally {
      await handle.close();
    }
  });

  it("shows a channel's error answer with its escape codes as text, not acted on by the terminal", async () => {
    // The webhook answers 500 with a body that would retitle the window and clear the screen.
    const hook = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom \u001b]0;pwned\u0007\u001b[2J');
    });
    const down = await startServer((_req, res) => sendJson(res, 503, { status: 'down' }));
    try {
      const config = stackSchema.parse(
        (await import('yaml')).parse(`name: shop
monitoring: { interval: 500ms, timeout: 400ms, retries: 0 }
services:
  api:
    kind: web
    urls: { production: ${down.url} }
    health: [{ type: liveness, path: /health, timeout: 400ms }]
channels:
  hook: { type: webhook, url: ${hook.url}/hook }
alerts:
  - { id: api-down, service: api, when: down, channels: [hook] }
`),
      );
      const logged: string[] = [];
      const handle = await serve({
        cwd,
        config,
        env: {},
        port: 0,
        log: (level, m) => logged.push(`${level} ${m}`),
        timing: { alertIntervalMs: 100, alertGroup: { groupWaitMs: 0, groupIntervalMs: 200 } },
      });
      try {
        const failure = await waitForValue('the delivery failure', async () =>
          logged.find((l) => l.includes("notification to channel 'hook' failed")),
        );
        expect(failure).toContain('boom \\x1b]0;pwned\\x07\\x1b[2J');
        expect(logged.join('\n')).not.toContain('\u001b');
        expect(logged.join('\n')).not.toContain('\u0007');
      } finally {
        await handle.close();
      }
    } finally {
      await hook.close();
      await down.close();
    }
  });

  it('warns at start when it has nothing at all to check', async () => {
    const config = stackSchema.parse(
      (await import('yaml')).parse('name: shop\nservices:\n  api: { kind: web }\n'),
    );
    const logged: string[] = [];
    const handle = await serve({
      cwd,
      config,
      env: {},
      port: 0,
      log: (level, m) => logged.push(`${level} ${m}`),
    });
    try {
      expect(handle.monitors).toBe(0);
      expect(logged).toContainEqual(
        expect.stringMatching(/^warn nothing to check in production: no service has/),
      );
    } finally {
      await handle.close();
    }
  });

  it('reports a port in use as a user error and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = stackSchema.parse((await import('yaml')).parse(yaml()));
      const error = await serve({ cwd, config, env: {}, port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({
        code: 'server/listen',
        message: `cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
      });
      const requests = target.requests.length;
      await sleep(1_200);
      expect(target.requests.length).toBe(requests);
    } finally {
      blocker.close();
    }
  });

  it('says where it runs, and on the timeline, that a page was refused by its channel', async () => {
    const refusing = await startServer((_req, res) => sendJson(res, 400, { error: 'invalid_token' }));
    const config = stackSchema.parse(
      (await import('yaml')).parse(`name: shop
services:
  api: { kind: web }
channels:
  hook: { type: webhook, url: "${refusing.url}/hook" }
incidents:
  severities: { P1: { name: Critical, page: true } }
  contacts: { ana: { name: Ana, channel: hook } }
  escalation: [{ level: 1, after: 0s, notify: [ana] }]
`),
    );
    const opened = await openStore({ cwd, env: {} });
    const { incident } = await openIncident(
      { store: opened, config },
      { environment: 'production', title: 'API down', severity: 'P1', actor: 'me' },
    ).finally(() => opened.close());
    const logged: string[] = [];
    const handle = await serve({
      cwd,
      config,
      env: {},
      port: 0,
      log: (level, message) => logged.push(`${level}: ${message}`),
      timing: { incidentIntervalMs: 100 },
    });
    try {
      await waitForValue('the refused page to be logged', async () =>
        logged.find((l) => l.includes("channel 'hook'")),
      );
    } finally {
      await handle.close();
      await refusing.close();
    }
    expect(refusing.requests).toHaveLength(1);
    expect(logged).not.toContainEqual(expect.stringContaining('is not set'));
    expect(logged).toContainEqual(expect.stringMatching(/^warn: .*'hook' failed: HTTP 400 .*given up$/));
    const store = await openStore({ cwd, env: {} });
    try {
      const timeline = await store.incidents.listTimeline(incident.id);
      expect(timeline.map((e) => e.kind)).toEqual(['open', 'notify', 'undelivered']);
      expect(timeline[2]?.message).toMatch(
        /^Step 1 \(level 1\): the page to Ana via hook was not delivered \(HTTP 400 .*invalid_token.*\); given up: it reached nobody$/,
      );
    } finally {
      await store.close();
    }
  });

  it('warns at start of a channel whose secret variable is not set', async () => {
    const config = stackSchema.parse(
      (await import('yaml')).parse(
        `${yaml()}channels:\n  pd: { type: pagerduty, routingKey: { env: PD_ROUTING_KEY } }\n`,
      ),
    );
    const logged: string[] = [];
    const handle = await serve({ cwd, config, env: {}, port: 0, log: (l, m) => logged.push(`${l}: ${m}`) });
    await handle.close();
    expect(logged).toContain(
      "warn: channel 'pd': environment variable PD_ROUTING_KEY is not set, so every notification through it will fail",
    );
  });

  it('refuses a public URL the acknowledge links could not open, before starting anything', async () => {
    const config = stackSchema.parse((await import('yaml')).parse(yaml()));
    for (const url of ['ops.example.com', 'ftp://ops.example.com']) {
      const error = await serve({ cwd, config, env: { OPSBOOK_PUBLIC_URL: url }, port: 0 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({
        code: 'serve/public-url',
        message: `OPSBOOK_PUBLIC_URL '${url}' is not an absolute http(s) URL: the acknowledge links in incident pages would not open`,
      });
    }
    await sleep(600);
    expect(target.requests).toHaveLength(0);
  });

  it('as a process: prints where it listens and exits 0 on SIGTERM after stopping', async () => {
    await writeFile(join(cwd, 'opsbook.yaml'), yaml());
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/main.ts'), 'serve', '--port', '0', '--cwd', cwd],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', CI: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await waitForValue(
        'the listening line',
        async () => /opsbook serving production at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1],
        { timeoutMs: 20_000 },
      );
      expect((await fetch(`${url}/status`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('SIGTERM: stopping');
      expect(stderr).toMatch(/stopped\s*$/);
      await expect(fetch(`${url}/status`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
