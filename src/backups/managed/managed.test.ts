// Platform-managed backups: the newest backup from the Supabase and Railway APIs (fakes on loopback, per their docs),
// human confirmations for Render and Neon, and the dead-man's switch over both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FakePlatform } from '../../../test/fakes/fake-platform.js';
import { type FakeRailway, startFakeRailway } from '../../../test/fakes/railway/fake-railway.js';
import { startFakeSupabase } from '../../../test/fakes/supabase/fake-supabase.js';
import type { StackConfig } from '../../config/index.js';
import { stackSchema } from '../../config/schema.js';
import { passiveMonitors, startWatching } from '../../heartbeats/index.js';
import { openStore, type Store } from '../../store/index.js';
import { confirmManagedBackup, managedStatus } from './index.js';

let supabase: FakePlatform;
let railway: FakeRailway;
let dir: string;
let store: Store;
let config: StackConfig;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  supabase = await startFakeSupabase({
    token: 'sbp_test_token',
    projects: [
      {
        ref: 'abcdefghijklmnopqrst',
        backups: [
          { is_physical_backup: true, status: 'COMPLETED', inserted_at: '2026-12-03T02:10:00.000Z' },
          { is_physical_backup: true, status: 'FAILED', inserted_at: '2026-12-04T02:10:00.000Z' },
          { is_physical_backup: true, status: 'COMPLETED', inserted_at: '2026-12-02T02:10:00.000Z' },
        ],
      },
      {
        ref: 'pitrpitrpitrpitrpitr',
        pitrEnabled: true,
        latestPitr: Date.parse('2026-12-04T08:00:00Z') / 1000,
        backups: [],
      },
    ],
  });
  railway = await startFakeRailway({
    token: 'rw-account-token',
    tokenKind: 'account',
    volumeBackups: {
      'vol-instance-1': [
        { id: 'b1', name: 'daily', createdAt: '2026-12-04T01:00:00.000Z', expiresAt: null },
        { id: 'b2', name: 'daily', createdAt: '2026-12-03T01:00:00.000Z', expiresAt: null },
      ],
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'opsbook-managed-'));
  store = await openStore({ cwd: dir, env: {} });
  env = {
    SUPABASE_ACCESS_TOKEN: 'sbp_test_token',
    RAILWAY_API_TOKEN: 'rw-account-token',
    OPSBOOK_SUPABASE_API_URL: supabase.url,
    OPSBOOK_RAILWAY_API_URL: railway.url,
  };
  config = stackSchema.parse(
    parse(`name: shop
services:
  db: { kind: database }
backups:
  - { id: supa, database: db, managed: true, platform: supabase, resource: abcdefghijklmnopqrst, token: { env: SUPABASE_ACCESS_TOKEN }, schedule: '0 2 * * *', window: 6h }
  - { id: supa-pitr, database: db, managed: true, platform: supabase, resource: pitrpitrpitrpitrpitr, token: { env: SUPABASE_ACCESS_TOKEN } }
  - { id: rail, database: db, managed: true, platform: railway, resource: vol-instance-1, token: { env: RAILWAY_API_TOKEN } }
  - { id: render-db, database: db, managed: true, platform: render, schedule: daily, window: 12h }
  - { id: own, database: db, destination: { type: local, path: backups } }
`),
  );
});
afterAll(async () => {
  await store?.close();
  await supabase?.close();
  await railway?.close();
  await rm(dir, { recursive: true, force: true });
});

const entry = (id: string) => config.backups.find((b) => b.id === id)!;

describe('platform-managed backups', () => {
  it("reads the newest completed Supabase backup, skipping failed ones, and PITR's newest restore point", async () => {
    expect(await managedStatus(entry('supa'), { env })).toMatchObject({
      source: 'platform-api',
      platform: 'supabase',
      newestAt: '2026-12-03T02:10:00.000Z',
      count: 2,
    });
    expect((await managedStatus(entry('supa-pitr'), { env })).newestAt).toBe('2026-12-04T08:00:00.000Z');
    const req = supabase.requests.at(-1)!;
    expect(req.path).toBe('/v1/projects/pitrpitrpitrpitrpitr/database/backups');
    expect(req.headers.authorization).toBe('Bearer sbp_test_token');
  });

  it('reads the newest Railway volume backup through volumeInstanceBackupList', async () => {
    expect(await managedStatus(entry('rail'), { env })).toMatchObject({
      source: 'platform-api',
      newestAt: '2026-12-04T01:00:00.000Z',
      count: 2,
    });
    expect(railway.calls.at(-1)).toEqual({
      field: 'volumeInstanceBackupList',
      variables: { volumeInstanceId: 'vol-instance-1' },
    });
  });

  it('fails loudly on a refused token or an unknown volume, never as "no backups"', async () => {
    await expect(
      managedStatus(entry('supa'), { env: { ...env, SUPABASE_ACCESS_TOKEN: 'wrong' } }),
    ).rejects.toThrow(/supabase API answered 401 \(check the token/);
    const unknown = { ...entry('rail'), resource: 'vol-nope' };
    await expect(managedStatus(unknown, { env })).rejects.toThrow(/Volume instance not found/);
    await expect(
      managedStatus(entry('supa'), { env: { ...env, SUPABASE_ACCESS_TOKEN: '' } }),
    ).rejects.toThrow(/SUPABASE_ACCESS_TOKEN is not set/);
  });

  it('records a person confirming a Render backup, with who and when, and refuses what needs no confirmation', async () => {
    expect(await managedStatus(entry('render-db'), { env, store })).toEqual({
      entry: 'render-db',
      platform: 'render',
      source: 'confirmation',
    });
    const now = new Date('2026-12-04T09:00:00Z');
    await confirmManagedBackup(entry('render-db'), store, {
      by: 'Ada <ada@example.com>',
      at: '2026-12-04T03:00:00Z',
      note: 'dashboard: Recovery shows 03:00',
      now,
    });
    expect(await managedStatus(entry('render-db'), { env, store })).toMatchObject({
      newestAt: '2026-12-04T03:00:00.000Z',
      confirmation: { by: 'Ada <ada@example.com>', confirmedAt: now.toISOString(), note: expect.any(String) },
    });
    const pasted = await confirmManagedBackup(entry('render-db'), store, {
      by: 'Ada <ada@example.com>',
      at: '2026-12-04T03:00:00Z',
      note: 'ok \x1b]0;owned\x07',
      now,
    });
    expect(pasted.note).toBe('ok \\x1b]0;owned\\x07');
    await expect(confirmManagedBackup(entry('supa'), store, { by: 'x' })).rejects.toThrow(/supabase API/);
    await expect(confirmManagedBackup(entry('own'), store, { by: 'x' })).rejects.toThrow(/taken by opsbook/);
    await expect(
      confirmManagedBackup(entry('render-db'), store, { by: 'x', at: '2026-12-05T00:00:00Z', now }),
    ).rejects.toThrow(/in the future/);
  });

  it("dead-man's switch: a managed backup older than its window is down, a fresh one up, an unreadable API down", async () => {
    let clock = Date.parse('2026-12-03T12:00:00Z');
    const watchStore = await openStore({
      cwd: await mkdtemp(join(tmpdir(), 'opsbook-managed-dm-')),
      env: {},
    });
    const probe = (extra: NodeJS.ProcessEnv = {}) => ({
      env: { ...env, ...extra } as Record<string, string | undefined>,
      signal: AbortSignal.timeout(20_000),
    });
    try {
      await startWatching({ config, environment: 'production', store: watchStore, now: () => clock });
      const monitors = passiveMonitors({
        config,
        environment: 'production',
        store: watchStore,
        now: () => clock,
      });
      const check = (name: string, extra?: NodeJS.ProcessEnv) =>
        monitors.find((m) => m.name === name)!.check(probe(extra));
      // Watching since Dec 3 12:00: that day's 02:00 Supabase backup is not held against it.
      expect((await check('backup-supa')).outcome).toBe('up');
      // Dec 4 09:00: the 02:00 backup's 6 h window has closed and the newest is from Dec 3.
      clock = Date.parse('2026-12-04T09:00:00Z');
      const late = await check('backup-supa');
      expect(late.outcome).toBe('down');
      expect(late.failures[0]).toMatch(
        /managed backup supa: newest backup 2026-12-03T02:10:00.000Z \(supabase API\), none since the one due 2026-12-04T02:00:00.000Z/,
      );
      // Railway's Dec 4 01:00 backup covers the daily 00:00 slot (window 2 h).
      expect((await check('backup-rail')).outcome).toBe('up');
      // Render, Dec 4 13:00: the 00:00 slot's 12 h window closed and nobody confirmed a backup.
      clock = Date.parse('2026-12-04T13:00:00Z');
      const unconfirmed = await check('backup-render-db');
      expect(unconfirmed.outcome).toBe('down');
      expect(unconfirmed.failures[0]).toMatch(/no backup known \(nobody confirmed one/);
      await confirmManagedBackup(entry('render-db'), watchStore, {
        by: 'Ada',
        at: '2026-12-04T00:30:00Z',
        now: new Date(clock),
      });
      expect((await check('backup-render-db')).outcome).toBe('up');
      // A token the API refuses: down with the reason, not up.
      const refused = await check('backup-rail', { RAILWAY_API_TOKEN: 'revoked' });
      expect(refused.outcome).toBe('down');
      expect(refused.failures[0]).toMatch(/cannot check: railway API: Not Authorized/);
    } finally {
      await watchStore.close();
    }
  });
});
