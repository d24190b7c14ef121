import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { status } from './status.js';

const config = stackSchema.parse({ name: 'shop', services: { api: { kind: 'web' } } });

/** A deploy run's recorded state, as the journal writes it, with api's release and whether it was rolled back. */
const deployState = (release: string, commit: string, rolledBack: boolean) => ({
  plan: {},
  commit,
  services: {
    api: {
      state: 'done',
      previous: null,
      deploy: { id: release, state: 'live' },
      rollback: rolledBack ? { id: 'r0', state: 'live' } : null,
      successLines: [],
      troubleLines: [],
    },
  },
  times: { requestedAt: '2026-12-01T10:00:00.000Z', liveAt: '2026-12-01T10:01:00.000Z' },
});

describe('status: the release each service runs', () => {
  let cwd: string;
  let store: Store;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-status-'));
    store = await openStore({ cwd, env: {} });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });
  const run = async (status: string, startedAt: string, summary: object, kind = 'deploy') => {
    const r = await store.createRun({ kind, environment: 'production', startedAt });
    await store.updateRun(r.id, { status, summary: summary as never, finishedAt: startedAt });
  };
  const lastDeploy = async () =>
    (await status({ cwd, config, offline: true, store })).services.find((s) => s.service === 'api')
      ?.lastDeploy;

  it('shows a later release that went live, failed and was never rolled back, not the older verified one', async () => {
    await run('succeeded', '2026-12-01T09:00:00.000Z', deployState('d1', 'aaaaaaaa11', false));
    expect(await lastDeploy()).toMatchObject({ id: 'd1', commit: 'aaaaaaaa11' });
    expect((await lastDeploy())?.unverified).toBeUndefined();
    await run('failed', '2026-12-01T10:00:00.000Z', deployState('d2', 'bbbbbbbb22', false));
    expect(await lastDeploy()).toEqual({
      id: 'd2',
      at: '2026-12-01T10:01:00.000Z',
      commit: 'bbbbbbbb22',
      unverified: true,
    });
    // A manual rollback since then put a release back: the table goes by the verified one again.
    await run('succeeded', '2026-12-01T11:00:00.000Z', {}, 'rollback');
    expect(await lastDeploy()).toMatchObject({ id: 'd1' });
  });

  it('keeps the verified release when the failed one was rolled back automatically', async () => {
    await run('succeeded', '2026-12-01T09:00:00.000Z', deployState('d1', 'aaaaaaaa11', false));
    await run('rolled-back', '2026-12-01T10:00:00.000Z', deployState('d2', 'bbbbbbbb22', true));
    expect(await lastDeploy()).toMatchObject({ id: 'd1' });
  });
});
