import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../../config/schema.js';
import { openStore, type Store } from '../../store/index.js';
import type { MaintenanceTask } from '../types.js';
import { sloReportCheck } from './slo-report.js';

const MIN = 60_000;
const NOW = Math.floor(Date.now() / MIN) * MIN;

const config = (slos: unknown[]) => {
  const c = stackSchema.parse({
    name: 'shop',
    services: { api: { kind: 'web' }, web: { kind: 'web' } },
    slos,
    maintenance: [{ id: 'slos', title: 'SLO review', every: 'monthly', check: 'slo-report' }],
  });
  return { config: c, task: c.maintenance[0] as MaintenanceTask };
};
const avail = (service: string, objective: string) => ({
  id: `${service}-avail`,
  service,
  indicator: 'availability',
  objective,
  window: '7d',
});

describe('the slo-report check', () => {
  let cwd: string;
  let store: Store;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-slo-report-'));
    store = await openStore({ cwd, env: {} });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });
  const run = (c: ReturnType<typeof config>) =>
    sloReportCheck({ task: c.task, config: c.config, cwd, env: {}, store, now: new Date(NOW) });

  /** A check every 10 minutes for 7 days; `down(i)` by the check's index, newest first. */
  const record = (service: string, down: (i: number) => boolean) =>
    store.monitoring.recordSamples(
      Array.from({ length: 7 * 144 }, (_, i) => ({
        monitorId: `production:${service}:deep`,
        environment: 'production',
        service,
        at: NOW - i * 10 * MIN,
        outcome: down(i) ? ('down' as const) : ('up' as const),
        latencyMs: 100,
      })),
    );

  it('reports attainment, budget left and burn per SLO, and fails when a budget is exhausted', async () => {
    // api: 1008 checks, 99% allows 10.08 bad; 5 failed 2 days ago. web: the last 20 failed (over 3 hours).
    await record('api', (i) => i >= 288 && i < 293);
    await record('web', (i) => i < 20);
    const c = config([avail('api', '99%'), avail('web', '99%')]);
    const e = await run(c);
    expect(e.ok).toBe(false);
    expect(e.summary).toBe('production: 1 of 2 SLO(s) exhausted their error budget');
    const [api, web] = e.findings;
    expect(api?.severity).toBe('info');
    expect(api?.message).toMatch(
      /^api-avail \(api, availability 99% over 7d\): attainment 99\.504% \(1003 of 1008 good\), error budget 50\.4% left \(5 bad of 10\.1 allowed\), burn 1h 0x, 6h 0x, 1d 0x, 3d 1\.16x$/,
    );
    expect(web?.severity).toBe('warning');
    // A 7-day SLO: the page pair's factor is 2% x 7d / 1h = 3.36x.
    expect(web?.message).toBe(
      'web-avail (web, availability 99% over 7d): attainment 98.016% (988 of 1008 good), error budget exhausted (20 bad of 10.1 allowed), burn 1h 100x, 6h 55.56x, 1d 13.89x, 3d 4.63x; burning: page 3.36x 1h/5m, page 1.4x 6h/30m, ticket 1x 1d/2h, ticket 1x 3d/6h',
    );
  });

  it('passes when every SLO is within its budget', async () => {
    await record('api', (i) => i === 500);
    const e = await run(config([avail('api', '99%')]));
    expect(e.ok).toBe(true);
    expect(e.summary).toBe('production: 1 SLO(s) within their error budget');
  });

  it('cannot tell without SLOs or without measurements in the window', async () => {
    expect(await run(config([]))).toEqual({
      ok: false,
      summary: 'cannot tell: no SLOs are configured (add slos: to opsbook.yaml)',
      findings: [],
    });
    await record('api', () => false);
    const e = await run(config([avail('api', '99%'), avail('web', '99.9%')]));
    expect(e.ok).toBe(false);
    expect(e.summary).toBe('production: cannot tell 1 of 2 SLO(s): no measurements in the window');
    expect(e.findings[1]?.message).toBe(
      'web-avail (web, availability 99.9% over 7d): cannot tell: no measurements in its 7d window (is the service monitored here?)',
    );
  });
});
