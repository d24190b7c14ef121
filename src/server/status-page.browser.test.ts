// The status page in a real headless Chromium against a served stack: a loopback service goes from
// healthy to degraded to down and the page follows. Needs Debian's chromium (.ci/run installs it).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../test/support/http-server.js';
import { monitor, seedHistory } from '../../test/support/server/seed.js';
import { type ServeHandle, serve } from '../app/serve.js';
import { stackSchema } from '../config/schema.js';
import { openStore } from '../store/index.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && !process.env.CI)
  process.stderr.write(
    `\n*** SKIPPING the status page browser tests: ${CHROMIUM} is missing (apt-get install chromium). CI fails here. ***\n\n`,
  );
/** Where the screenshot is kept for people to look at (gitignored, beside the other test artifacts). */
const SCREENSHOT = fileURLToPath(new URL('../../.opsbook-test/status-page.png', import.meta.url));

/** The browser globals the page functions use (the project compiles without the DOM library); written inline, as they run in the page. */
type BrowserGlobals = {
  getComputedStyle(e: unknown): { display: string; backgroundColor: string };
  document: { documentElement: { scrollWidth: number } };
};

let mode: 'healthy' | 'degraded' | 'down' = 'healthy';
let target: TestServer;
let cwd: string;
let handle: ServeHandle;
let browser: Browser;

describe.skipIf(!present && !process.env.CI)('the status page in Chromium', () => {
  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    target = await startServer((req, res) => {
      if (req.url === '/') return sendJson(res, 200, { ok: true });
      if (mode === 'down') return sendJson(res, 503, { status: 'down' });
      sendJson(res, 200, { status: mode === 'degraded' ? 'degraded' : 'ok' });
    });
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-browser-'));
    const config = stackSchema.parse({
      name: 'shop',
      monitoring: { interval: '300ms', timeout: '250ms', retries: 0 },
      statusPage: {
        title: 'Shop status',
        components: [
          { service: 'api', name: 'API' },
          { service: 'www', name: 'Website' },
        ],
      },
      services: {
        api: {
          kind: 'web',
          urls: { production: target.url },
          health: [
            {
              type: 'readiness',
              path: '/health',
              timeout: '250ms',
              degraded: [{ path: 'status', equals: 'degraded' }],
            },
          ],
        },
        www: {
          kind: 'static',
          urls: { production: target.url },
          health: [{ type: 'ping', path: '/', timeout: '250ms' }],
        },
      },
    });
    // 90 days of history with a bad day and a few imperfect ones, so the bars have something to show.
    const store = await openStore({ cwd, env: {} });
    const now = Date.now() - 60_000;
    const perDay = 48;
    await seedHistory(store, monitor('api', 'readiness'), {
      now,
      days: 90,
      perDay,
      latencyMs: (i) => 80 + (i % 10) * 12,
      outcome: (d, i) => (d === 12 && i < 12 ? 'down' : d % 17 === 5 && i === 0 ? 'down' : 'up'),
    });
    await seedHistory(store, monitor('www', 'ping'), {
      now,
      days: 40,
      perDay,
      latencyMs: () => 30,
      outcome: () => 'up',
    });
    await store.close();
    handle = await serve({ cwd, config, env: {}, port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await handle?.close();
    await target?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  /** Reloads until the component shows `state` (checks run every 300 ms). */
  async function waitForState(page: Page, service: string, state: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await page.goto(`${handle.url}/status`);
      expect(res?.status()).toBe(200);
      const shown = await page.getAttribute(`[data-service="${service}"]`, 'data-state');
      if (shown === state) return;
      if (Date.now() > deadline) throw new Error(`${service} still shows ${shown}, expected ${state}`);
      await sleep(200);
    }
  }

  it('follows the service from operational to degraded_performance to major_outage', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith(`${handle.url}/status`) && foreign.push(r.url()));
    const api = page.locator('[data-service="api"]');

    await waitForState(page, 'api', 'operational');
    await expect(api.locator('.state').textContent()).resolves.toBe('Operational');
    await expect(page.locator('.overall').textContent()).resolves.toContain('All Systems Operational');
    await expect(
      page.getByRole('heading', { level: 2, name: 'Current incidents' }).isVisible(),
    ).resolves.toBe(true);
    await expect(page.locator('[data-section="incidents"]').textContent()).resolves.toContain('No incidents');

    const titles = await api
      .locator('.bars li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(titles).toHaveLength(90);
    for (const t of titles) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}: (\d+(\.\d\d)?% uptime|no data)$/);
    const labels = await api
      .locator('.bars li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(labels).toEqual(titles);
    expect(titles.filter((t) => t.endsWith('75.00% uptime'))).toHaveLength(1); // 12 of 48 failed, 12 days back
    await expect(page.locator('[data-service="www"] .bars li[title$="no data"]').count()).resolves.toBe(50);
    await expect(api.locator('ol.bars').getAttribute('aria-label')).resolves.toBe(
      'API: daily uptime over the last 90 days',
    );
    const colours = await api
      .locator('.bars li')
      .evaluateAll((els) => [
        ...new Set(
          els.map((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).backgroundColor),
        ),
      ]);
    expect(colours.length).toBeGreaterThanOrEqual(3); // green, amber or red for the bad days, grey for none

    mode = 'degraded';
    await waitForState(page, 'api', 'degraded_performance');
    await expect(api.locator('.state').textContent()).resolves.toBe('Degraded Performance');
    await expect(page.locator('.overall').textContent()).resolves.toContain(
      'API Experiencing Degraded Performance',
    );

    mode = 'down';
    await waitForState(page, 'api', 'major_outage');
    await expect(api.locator('.state').textContent()).resolves.toBe('Major Outage');
    await expect(page.locator('.overall').getAttribute('data-state')).resolves.toBe('major_outage');

    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      true,
    );
    expect(png.length).toBeGreaterThan(10_000);

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('shows the last 30 days on a narrow screen and works without JavaScript', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 800 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(`${handle.url}/status`);
    const bars = page.locator('[data-service="api"] .bars li');
    const visible = await bars.evaluateAll(
      (els) =>
        els.filter((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).display !== 'none')
          .length,
    );
    expect(visible).toBe(30);
    const width = await page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(375);
    await context.close();
  });
});
