// The deploy lock's changes and the affected services' env changes in the window before and during an
// incident appear on its timeline (and so in the postmortem), from what deploys, rollbacks and unlock record.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { openIncident } from './actions.js';
import { buildReport } from './report.js';

const T = Date.parse('2026-12-05T10:00:00Z');
const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' }, web: { kind: 'web' } },
  incidents: { severities: { P1: { name: 'Critical' } } },
});

describe('lock and env changes on the incident timeline', () => {
  let cwd: string;
  let store: Store;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-changes-'));
    store = await openStore({ cwd, env: {} });
  });
  afterAll(async () => {
    await store?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  async function run(kind: string, start: number, end: number | null, status: string, actor = 'alice') {
    const r = await store.createRun({ kind, environment: 'production', actor, startedAt: at(start) });
    await store.updateRun(r.id, { status, ...(end === null ? {} : { finishedAt: at(end) }) });
    return r;
  }

  it('lists the lock taken, released and forced open, and the env changes of the affected service', async () => {
    await run('deploy', -120, -115, 'succeeded'); // long before: outside the window
    const before = await run('deploy', -30, -25, 'succeeded');
    await store.appendEvent(before.id, {
      level: 'info',
      type: 'deploy.env-changed',
      message: 'env of api changed since deploy 01PREV: changed DATABASE_URL; added FEATURE_X',
      data: { service: 'api', changed: ['DATABASE_URL'], added: ['FEATURE_X'], removed: [] },
      at: at(-26),
    });
    await store.appendEvent(before.id, {
      level: 'info',
      type: 'deploy.env-changed',
      message: 'env of web changed since deploy 01PREV: changed CDN_URL',
      data: { service: 'web', changed: ['CDN_URL'], added: [], removed: [] },
      at: at(-26),
    });
    const { incident } = await openIncident(
      { store, config, now: () => T },
      { environment: 'production', title: 'API errors', severity: 'P1', services: ['api'], actor: 'test' },
    );
    const stuck = await run('rollback', 2, null, 'interrupted', 'bob');
    await store.createRun({
      kind: 'unlock',
      environment: 'production',
      status: 'succeeded',
      actor: 'carol',
      startedAt: at(4),
      summary: { holder: `${stuck.id} bob@laptop (pid 4242)`, reason: null, run: stuck.id },
    });
    const fix = await run('rollback', 5, 7, 'succeeded', 'carol');

    const report = await buildReport({ store, config, now: () => T + 10 * 60_000 }, incident);
    const changes = report.timeline
      .filter((e) => e.kind === 'lock' || e.kind === 'env')
      .map((e) => [e.at, e.kind, e.message, e.actor]);
    expect(changes).toEqual([
      [at(-30), 'lock', `Deploy lock on production taken for deploy ${before.id}`, 'alice'],
      [
        at(-26),
        'env',
        `env of api changed since deploy 01PREV: changed DATABASE_URL; added FEATURE_X (deploy ${before.id})`,
        'alice',
      ],
      [at(-25), 'lock', `Deploy lock on production released: deploy ${before.id} succeeded`, 'alice'],
      [at(2), 'lock', `Deploy lock on production taken for rollback ${stuck.id}`, 'bob'],
      [
        at(4),
        'lock',
        `Deploy lock on production forced open with \`opsbook unlock\` (it was held by ${stuck.id} bob@laptop (pid 4242))`,
        'carol',
      ],
      [at(5), 'lock', `Deploy lock on production taken for rollback ${fix.id}`, 'carol'],
      [at(7), 'lock', `Deploy lock on production released: rollback ${fix.id} succeeded`, 'carol'],
    ]);
    expect(report.timeline.some((e) => e.message.includes('CDN_URL'))).toBe(false);
    expect(report.timeline.every((e) => !e.public || e.kind === 'update' || e.kind === 'resolve')).toBe(true);
  });
});
