import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { notifyDueTasks } from './notify-due.js';
import { markDone } from './operations.js';

const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  channels: { team: { type: 'console' }, ops: { type: 'console' } },
  maintenance: [
    {
      id: 'review',
      title: 'Weekly review',
      every: 'weekly',
      owner: 'ann',
      channels: ['team'],
      checklist: ['Read logs'],
    },
    { id: 'keys', title: 'Rotate keys', every: 'monthly', checklist: ['Rotate'] },
  ],
});

describe('due maintenance notifications', () => {
  let cwd: string;
  let store: Store;
  let now: Date;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-maint-notify-'));
    store = await openStore({ cwd, env: {} });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });
  const ctx = () => ({
    cwd,
    config,
    env: {},
    store,
    actor: 'opsbook serve',
    environment: 'production',
    now: () => now,
  });
  const pending = async () =>
    (await store.alerting.listNotifications({ environment: 'production' }))
      .map((r) => `${r.channel}: ${(r.payload as { title: string }).title}`)
      .sort();

  it('tells each task’s channels once per occurrence when due, once more when overdue, across instances', async () => {
    // The review was last done on Tuesday 2026-11-24; now is Wednesday 2026-12-02 (the week began on Monday the 30th).
    now = new Date('2026-11-24T09:00:00Z');
    await markDone({ ...ctx(), actor: 'ann' }, 'review');
    now = new Date('2026-12-02T10:00:00Z');
    // Two serve instances on one store: each notification is enqueued once.
    expect(await notifyDueTasks(ctx())).toBe(3);
    expect(await notifyDueTasks(ctx())).toBe(0);
    expect(await pending()).toEqual([
      'ops: Maintenance due: Rotate keys',
      'team: Maintenance due: Rotate keys',
      'team: Maintenance due: Weekly review',
    ]);
    // Keys done; a week and a day later the review missed a whole week: overdue, told once.
    await markDone({ ...ctx(), actor: 'ben' }, 'keys');
    now = new Date('2026-12-08T10:00:00Z');
    expect(await notifyDueTasks(ctx())).toBe(1);
    expect(await notifyDueTasks(ctx())).toBe(0);
    expect((await pending()).filter((p) => p.includes('overdue'))).toEqual([
      'team: Maintenance overdue: Weekly review',
    ]);
    expect(await pending()).toHaveLength(4);
  });
});
