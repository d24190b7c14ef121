import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { openIncident } from './actions.js';
import { renderPostmortem } from './postmortem.js';
import { buildReport } from './report.js';

const T = Date.parse('2026-12-05T10:00:00Z');
const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  slos: [{ id: 'api-availability', service: 'api', indicator: 'availability', objective: '99.9%' }],
  incidents: { severities: { P1: { name: 'Critical' } } },
});

describe('the impact an incident report measures', () => {
  let cwd: string;
  let store: Store;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-report-'));
    store = await openStore({ cwd, env: {} });
  });
  afterAll(async () => {
    await store?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('says the SLO budget burned is unknown, not 0%, when no probe measured the service', async () => {
    const ctx = { store, config, now: () => T };
    const { incident } = await openIncident(ctx, {
      environment: 'production',
      title: 'API down',
      severity: 'P1',
      services: ['api'],
      actor: 'me',
    });
    const report = await buildReport({ ...ctx, now: () => T + 30 * 60_000 }, incident);
    expect(report.impact.failedShare).toBeNull();
    expect(report.impact.slos).toEqual([{ id: 'api-availability', objective: 99.9, budgetBurned: null }]);
    expect(renderPostmortem(report)).toContain(
      '- SLO api-availability (99.9%): budget burned unknown (no probe data)',
    );
  });
});
