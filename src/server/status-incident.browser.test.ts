// An incident on the status page in a real headless Chromium: the API goes down, the alert opens an
// incident inside serve, the page shows it with its public updates (newest first, with time), and after
// the API recovers and the incident resolves by itself the page says "All Systems Operational" again and
// keeps the incident in its history. Needs Debian's chromium (.ci/run installs it).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { waitForValue } from '../../test/support/wait-for.js';
import { type ServeHandle, serve } from '../app/serve.js';
import type { StackConfig } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { postUpdate } from '../incidents/index.js';
import { openStore } from '../store/index.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);

let down = false;
let target: TestServer;
let cwd: string;
let config: StackConfig;
let handle: ServeHandle;
let browser: Browser;

/** Reloads the page until `ready` holds on it. */
async function reloadUntil(page: Page, what: string, ready: () => Promise<boolean>): Promise<void> {
  await waitForValue(what, async () => {
    const res = await page.goto(`${handle.url}/status`);
    expect(res?.status()).toBe(200);
    return (await ready()) ? true : undefined;
  });
}

describe.skipIf(!present && !process.env.CI)('an incident on the status page in Chromium', () => {
  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    target = await startServer((_req, res) =>
      down ? sendJson(res, 503, { status: 'down' }) : sendJson(res, 200, { status: 'ok' }),
    );
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-incident-browser-'));
    config = stackSchema.parse({
      name: 'shop',
      // Generous timeouts: a check slowed by a loaded machine must not open a second incident.
      monitoring: { interval: '300ms', timeout: '2s', retries: 0 },
      statusPage: { title: 'Shop status', components: [{ service: 'api', name: 'API' }] },
      services: {
        api: {
          kind: 'web',
          urls: { production: target.url },
          health: [{ type: 'readiness', path: '/health', timeout: '2s' }],
        },
      },
      alerts: [{ id: 'api-down', service: 'api', when: 'consecutive-failures', count: 2, severity: 'P1' }],
      incidents: { severities: { P1: { name: 'Critical', respondWithin: '15m' } } },
    });
    handle = await serve({
      cwd,
      config,
      env: { OPSBOOK_SIGNING_KEY: 'browser-test-key-of-32-characters' },
      port: 0,
      host: '127.0.0.1',
      timing: { alertIntervalMs: 300, incidentIntervalMs: 300 },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await handle?.close();
    await target?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('shows the open incident with its updates, then All Systems Operational once it resolves', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const current = page.locator('[data-section="incidents"]');
    const overall = page.locator('.overall');

    await reloadUntil(
      page,
      'the API to be operational',
      async () => (await page.getAttribute('[data-service="api"]', 'data-state')) === 'operational',
    );
    await expect(overall.textContent()).resolves.toContain('All Systems Operational');
    await expect(current.textContent()).resolves.toContain('No incidents');

    down = true;
    await reloadUntil(
      page,
      'the incident on the page',
      async () => (await current.locator('article').count()) === 1,
    );
    const article = current.locator('article.incident');
    await expect(article.locator('h3').textContent()).resolves.toBe('api: api-down');
    await expect(article.locator('.affects').textContent()).resolves.toBe('Affects API · Investigating');
    await expect(overall.textContent()).resolves.not.toContain('All Systems Operational');

    // A person posts two public updates (the CLI's `incident update` calls the same function).
    const store = await openStore({ cwd, env: {} });
    try {
      const [open] = await store.incidents.listIncidents({ environment: 'production', limit: 1 });
      expect(open?.state).toBe('triggered');
      // Two updates at distinct times (a clock of the test's own): the newest-first order is then observable.
      const at = Date.now();
      await postUpdate({ store, config, now: () => at }, open!.id, {
        status: 'identified',
        message: 'A bad release broke the API.',
        actor: 'ana',
      });
      await postUpdate({ store, config, now: () => at + 1 }, open!.id, {
        status: 'monitoring',
        message: 'Rolled back; watching.',
        actor: 'ana',
      });
    } finally {
      await store.close();
    }
    const updates = article.locator('ol.updates li');
    // The page is rendered at most once a second for everyone: reload until the updates are in.
    await reloadUntil(page, 'the updates on the page', async () => (await updates.count()) === 2);
    await expect(
      updates.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
    ).resolves.toEqual(['monitoring', 'identified']);
    await expect(updates.nth(0).textContent()).resolves.toMatch(
      /^Monitoring – Rolled back; watching\. \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    await expect(updates.nth(1).textContent()).resolves.toContain(
      'Identified – A bad release broke the API.',
    );
    await expect(article.locator('.affects').textContent()).resolves.toBe('Affects API · Monitoring');
    // Internal detail (who acknowledged, the severity) never reaches the public page.
    const html = await page.content();
    // As whole words: a random id (base32) or an ordinary word may hold the letters.
    expect(html).not.toMatch(/\bana\b/i);
    expect(html).not.toMatch(/\bP1\b/);

    down = false;
    await reloadUntil(
      page,
      'the incident to resolve and the page to clear',
      async () => (await overall.textContent())?.includes('All Systems Operational') === true,
    );
    await expect(current.textContent()).resolves.toContain('No incidents');
    const past = page.locator('[data-section="history"] article[data-incident="1"]');
    await expect(past.locator('h3').textContent()).resolves.toBe('api: api-down');
    await expect(past.getAttribute('data-status')).resolves.toBe('resolved');
    await expect(
      past.locator('ol.updates li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
    ).resolves.toEqual(['resolved', 'monitoring', 'identified']);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
