import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb } from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import type { StackConfig } from '../config/index.js';
import {
  backupList,
  backupPrune,
  backupRun,
  backupVerify,
  planRestore,
  resolveEntry,
  restoreBackup,
} from './index.js';
import { runBackup } from './run-backup.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`backup tests: no PostgreSQL at ${pgUrl()}`);

function configFor(dir: string, extra: Record<string, unknown> = {}): StackConfig {
  return {
    backups: [
      {
        id: 'nightly',
        database: 'db',
        urlEnv: 'APP_DATABASE_URL',
        managed: false,
        schedule: 'daily',
        timezone: 'UTC',
        format: 'custom',
        retention: { days: 30 },
        destination: { type: 'local', path: dir },
        ...extra,
      },
    ],
  } as unknown as StackConfig;
}

describe('backup verify of a mistyped backup id', () => {
  it('says the id is malformed and how one looks, instead of looking for an entry of that name', async () => {
    const ctx = { cwd: '.', config: configFor('/nonexistent'), env: {} };
    for (const id of ['nightly/garbage', 'nightly/2026-12-04T02:00:00Z'])
      await expect(backupVerify(ctx, id)).rejects.toMatchObject({
        message: `'${id}' is not a backup id`,
        hint: expect.stringContaining('nightly/20261204T020000.000Z'),
      });
  });
});

describe('backup list and prune', () => {
  it('read only the destination: they work without the database URL set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsbook-bk-list-'));
    try {
      const ctx = { cwd: dir, config: configFor(dir), env: {} };
      expect(await backupList(ctx)).toEqual([]);
      expect(await backupPrune(ctx, undefined, true)).toMatchObject({ decisions: [], removed: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!available)('backups on the real PostgreSQL', () => {
  let db: ScratchDb;
  let dir: string;
  beforeAll(async () => {
    db = await createScratchDb('opsbook_bk');
    dir = await mkdtemp(join(tmpdir(), 'opsbook-bk-'));
    await db.query('CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)');
    await db.query("INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 1500) g");
    await db.query('CREATE SCHEMA billing');
    await db.query('CREATE TABLE billing.invoices (id serial PRIMARY KEY, cents int)');
    await db.query('INSERT INTO billing.invoices (cents) SELECT g FROM generate_series(1, 42) g');
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const ctx = (extra?: Record<string, unknown>, env: Record<string, string> = {}) => ({
    cwd: dir,
    config: configFor(join(dir, 'store'), extra),
    env: { ...process.env, APP_DATABASE_URL: db.url, ...env },
  });

  it('backs up with exact row counts, and a restore drill matches them', async () => {
    const run = await backupRun(ctx());
    if (!run.result.ok) throw new Error(run.result.error);
    const m = run.result.manifest;
    expect(m.tables.map((t) => [`${t.schema}.${t.name}`, t.rows])).toEqual([
      ['billing.invoices', 42],
      ['public.users', 1500],
    ]);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.pgDumpVersion).toMatch(/^\d+/);
    const v = await backupVerify(ctx());
    expect(v).toMatchObject({ ok: true, problems: [], backupId: m.id });
    // The pass says what it rests on: both tables and every row counted, no invariant configured.
    expect(v.checked).toEqual({ tables: 2, rows: 1542, invariants: 0 });
    // A drill killed two days ago left its copy of the data: the next drill drops it.
    const abandoned = `opsbook_verify_${Math.floor(Date.now() / 1000) - 2 * 86_400}_1_abc123`;
    await db.query(`CREATE DATABASE "${abandoned}"`);
    try {
      await backupVerify(ctx());
      expect(await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [abandoned])).toEqual([]);
    } finally {
      await db.query(`DROP DATABASE IF EXISTS "${abandoned}"`);
    }
    expect((await backupList(ctx()))[0]?.verification?.ok).toBe(true);
  });

  it('fails the drill of a truncated archive with the reason, and fails an invariant that does not hold', async () => {
    const run = await backupRun(ctx());
    if (!run.result.ok) throw new Error(run.result.error);
    const m = run.result.manifest;
    await truncate(join(dir, 'store', m.key), Math.floor(m.bytes / 2));
    const v = await backupVerify(ctx(), m.id);
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toContain('truncated');

    const good = await backupRun(ctx());
    if (!good.result.ok) throw new Error(good.result.error);
    const inv = await backupVerify(
      ctx({
        verify: {
          restore: true,
          every: 'weekly',
          invariants: [
            { name: 'has admins', sql: "SELECT count(*) > 0 FROM users WHERE email LIKE 'admin%'" },
          ],
        },
      }),
    );
    expect(inv.problems).toEqual(["invariant 'has admins' does not hold (got false)"]);
  });

  it('encrypts with the configured key and restores into a new target with the same data', async () => {
    const enc = { encryption: { key: { env: 'BACKUP_KEY' } } };
    const keyEnv = { BACKUP_KEY: 'correct horse battery staple' };
    const run = await backupRun(ctx(enc, keyEnv));
    if (!run.result.ok) throw new Error(run.result.error);
    expect(run.result.manifest.encryption?.algorithm).toBe('aes-256-gcm');
    expect((await backupVerify(ctx(enc, { BACKUP_KEY: 'wrong' }))).problems.join()).toMatch(
      /decryption failed|pg_restore failed/,
    );

    const targetName = uniquePgName('opsbook_bk_target');
    const targetUrl = db.url.replace(/\/[^/]+$/, `/${targetName}`);
    const r = await resolveEntry(ctx(enc, keyEnv), undefined);
    try {
      const plan = await planRestore(run.result.manifest, targetUrl, r.url);
      expect(plan).toMatchObject({ isProduction: false, exists: false });
      const restored = await restoreBackup({
        plan,
        entry: r.entry,
        manifest: run.result.manifest,
        destination: r.destination,
        targetUrl,
        cwd: dir,
        env: process.env,
        passphrase: keyEnv.BACKUP_KEY,
      });
      expect(restored).toMatchObject({ ok: true, problems: [] });
      // Restoring again over the now non-empty target takes a safety backup first.
      const again = await restoreBackup({
        plan: await planRestore(run.result.manifest, targetUrl, r.url),
        entry: r.entry,
        manifest: run.result.manifest,
        destination: r.destination,
        targetUrl,
        cwd: dir,
        env: process.env,
        passphrase: keyEnv.BACKUP_KEY,
      });
      expect(again.ok).toBe(true);
      expect(again.safetyBackup).toMatch(/\.dump$/);
      // Encrypted like the entry's backups: the safety copy of the data is not left in clear.
      const safety = JSON.parse(
        await readFile(again.safetyBackup!.replace(/\.dump$/, '.manifest.json'), 'utf8'),
      ) as { encryption?: { algorithm: string } };
      expect(safety.encryption?.algorithm).toBe('aes-256-gcm');
    } finally {
      await db.query(`DROP DATABASE IF EXISTS "${targetName}" WITH (FORCE)`);
    }
  });

  it('says the role needs CREATEDB when the drill cannot create its scratch database, and records no verdict', async () => {
    const role = uniquePgName('opsbook_nocreatedb');
    await db.query(`CREATE ROLE "${role}" LOGIN`);
    try {
      const url = new URL(db.url);
      url.username = role;
      url.password = '';
      const run = await backupRun(ctx(), undefined, false);
      if (!run.result.ok) throw new Error(run.result.error);
      const id = run.result.manifest.id;
      const env = { ...process.env, APP_DATABASE_URL: url.toString() };
      await expect(backupVerify({ ...ctx(), env }, id)).rejects.toMatchObject({
        name: 'UserError',
        message: expect.stringContaining('cannot create its scratch database'),
        hint: expect.stringContaining('CREATEDB'),
      });
      expect((await backupList(ctx())).find((b) => b.manifest.id === id)?.verification).toBeUndefined();
    } finally {
      await db.query(`DROP ROLE IF EXISTS "${role}"`);
    }
  });

  it('refuses to restore over the production database without --force-production and its typed name', async () => {
    const [latest] = await backupList(ctx());
    const r = await resolveEntry(ctx(), undefined);
    const plan = await planRestore(latest!.manifest, db.url, r.url);
    expect(plan.isProduction).toBe(true);
    const base = {
      plan,
      entry: r.entry,
      manifest: latest!.manifest,
      destination: r.destination,
      targetUrl: db.url,
      cwd: dir,
      env: process.env,
    };
    await expect(restoreBackup(base)).rejects.toThrow(/production database/);
    await expect(restoreBackup({ ...base, forceProduction: true, confirmDatabase: 'nope' })).rejects.toThrow(
      /typed/,
    );
  });
});

describe.skipIf(!available)('a database without tables', () => {
  let db: ScratchDb;
  let dir: string;
  beforeAll(async () => {
    db = await createScratchDb('opsbook_bk_empty');
    dir = await mkdtemp(join(tmpdir(), 'opsbook-bk-empty-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });
  const ctx = () => ({
    cwd: dir,
    config: configFor(join(dir, 'store')),
    env: { ...process.env, APP_DATABASE_URL: db.url },
  });

  it('is not backed up: the run fails, names the variable to check, and stores nothing', async () => {
    const run = await backupRun(ctx());
    expect(run.result).toEqual({
      ok: false,
      error: `database '${db.name}' has no tables, so there is nothing to back up: check that APP_DATABASE_URL points at the application's database`,
    });
    expect(await backupList(ctx())).toEqual([]);
  });

  it('fails the restore drill of such a backup (kept by an older version): a restore alone compares nothing', async () => {
    const r = await resolveEntry(ctx(), undefined);
    const old = await runBackup({
      entry: r.entry,
      url: r.url,
      destination: r.destination,
      env: process.env,
      allowNoTables: true,
    });
    if (!old.ok) throw new Error(old.error);
    const v = await backupVerify(ctx(), old.manifest.id);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      'nothing to check: the backup recorded no tables and the entry has no verify.invariants, so a restore could not show that any data came back',
    ]);
  });

  it('does not call a restore of such a backup checked: no row count was compared', async () => {
    const r = await resolveEntry(ctx(), undefined);
    const old = await runBackup({
      entry: r.entry,
      url: r.url,
      destination: r.destination,
      env: process.env,
      allowNoTables: true,
    });
    if (!old.ok) throw new Error(old.error);
    const targetUrl = db.url.replace(/\/[^/]*$/, `/${uniquePgName('opsbook_bk_none_to')}`);
    try {
      const plan = await planRestore(old.manifest, targetUrl, db.url);
      const result = await restoreBackup({
        plan,
        entry: r.entry,
        manifest: old.manifest,
        destination: r.destination,
        targetUrl,
        cwd: dir,
        env: process.env,
      });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        'nothing to compare: the backup recorded no tables, so the restore cannot show that any data came back',
      ]);
    } finally {
      await db.query(
        `DROP DATABASE IF EXISTS "${targetUrl.slice(targetUrl.lastIndexOf('/') + 1)}" WITH (FORCE)`,
      );
    }
  });
});
