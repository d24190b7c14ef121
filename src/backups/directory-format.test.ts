// The parallel directory format (pg_dump -Fd -j) on the real PostgreSQL: stored as one tar, restored with pg_restore -j.
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb } from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import type { StackConfig } from '../config/index.js';
import { backupRun, backupVerify, planRestore, resolveEntry, restoreBackup } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`directory-format backup tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('directory-format backups (pg_dump -Fd -j)', () => {
  let db: ScratchDb;
  let dir: string;
  let scratch: string;
  beforeAll(async () => {
    db = await createScratchDb('opsbook_bkdir');
    dir = await mkdtemp(join(tmpdir(), 'opsbook-bkdir-'));
    scratch = await mkdtemp(join(tmpdir(), 'opsbook-bkdir-scratch-'));
    await db.query('CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)');
    await db.query("INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 3000) g");
    await db.query('CREATE TABLE events (id bigint, body text)');
    await db.query("INSERT INTO events SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g");
    await db.query('CREATE TABLE empty_one (id int)');
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  const ctx = (extra: Record<string, unknown> = {}, env: Record<string, string> = {}) => ({
    cwd: dir,
    config: {
      backups: [
        {
          id: 'big',
          database: 'db',
          urlEnv: 'APP_DATABASE_URL',
          managed: false,
          schedule: 'daily',
          timezone: 'UTC',
          format: 'directory',
          jobs: 2,
          retention: { days: 30 },
          destination: { type: 'local', path: join(dir, 'store') },
          ...extra,
        },
      ],
    } as unknown as StackConfig,
    env: { ...process.env, APP_DATABASE_URL: db.url, OPSBOOK_BACKUP_TMPDIR: scratch, ...env },
  });

  it('dumps with parallel workers into one tar with a checksum, and a drill restores it with matching row counts', async () => {
    const run = await backupRun(ctx());
    if (!run.result.ok) throw new Error(run.result.error);
    const m = run.result.manifest;
    expect(m).toMatchObject({ format: 'directory', jobs: 2 });
    expect(m.key).toMatch(/^big\/\d{8}T\d{6}\.\d{3}Z\.tar$/);
    expect(m.tables.map((t) => [t.name, t.rows])).toEqual([
      ['empty_one', 0],
      ['events', 5000],
      ['users', 3000],
    ]);
    expect(await readdir(join(dir, 'store', 'big'))).toEqual(
      expect.arrayContaining([m.key.slice(4), m.key.replace(/\.tar$/, '.manifest.json').slice(4)]),
    );
    const v = await backupVerify(ctx());
    expect(v).toMatchObject({ ok: true, problems: [], backupId: m.id });
    // The dump and the unpacked restore used scratch space, and left none behind.
    expect(await readdir(scratch)).toEqual([]);
  });

  it('fails the drill of an altered archive on its checksum, before pg_restore runs', async () => {
    const run = await backupRun(ctx());
    if (!run.result.ok) throw new Error(run.result.error);
    const m = run.result.manifest;
    const f = await open(join(dir, 'store', m.key), 'r+');
    await f.write(Buffer.from('garbage!'), 0, 8, Math.floor(m.bytes / 2));
    await f.close();
    const v = await backupVerify(ctx(), m.id);
    expect(v.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/checksum does not match|corrupt/);
    expect(v.problems.join('\n')).not.toContain('pg_restore');
    expect(await readdir(scratch)).toEqual([]);
  });

  it('encrypts the tar and restores it into a new target with the same data', async () => {
    const enc = { encryption: { key: { env: 'BACKUP_KEY' } } };
    const keyEnv = { BACKUP_KEY: 'correct horse battery staple' };
    const run = await backupRun(ctx(enc, keyEnv));
    if (!run.result.ok) throw new Error(run.result.error);
    const targetName = uniquePgName('opsbook_bkdir_target');
    const targetUrl = db.url.replace(/\/[^/]+$/, `/${targetName}`);
    const r = await resolveEntry(ctx(enc, keyEnv), undefined);
    try {
      const restored = await restoreBackup({
        plan: await planRestore(run.result.manifest, targetUrl, r.url),
        entry: r.entry,
        manifest: run.result.manifest,
        destination: r.destination,
        targetUrl,
        cwd: dir,
        env: ctx().env,
        passphrase: keyEnv.BACKUP_KEY,
      });
      expect(restored).toMatchObject({ ok: true, problems: [] });
    } finally {
      await db.query(`DROP DATABASE IF EXISTS "${targetName}" WITH (FORCE)`);
    }
  });
});
