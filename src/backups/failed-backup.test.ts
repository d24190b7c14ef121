// A backup is written under a temporary key and finalised only when complete: a pg_dump that dies half-way leaves
// nothing in the destination (local directory, S3 on loopback), and the run reports the reason.
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { type LoopbackS3, startS3 } from '../../test/support/s3.js';
import type { StackConfig } from '../config/index.js';
import { openStore } from '../store/index.js';
import { backupRun, localDestination } from './index.js';
import { openDestination } from './open-destination.js';
import { runBackup } from './run-backup.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`failed-backup tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('a backup that fails half-way', () => {
  let dir: string;
  let s3: LoopbackS3;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-bkfail-'));
    s3 = await startS3();
    // A pg_dump of the server's major version (found first, on PATH) that writes 3 MB and then dies.
    const bin = join(dir, 'bin');
    await mkdir(bin);
    const { rows } = await (async () => {
      const c = new pg.Client({ connectionString: pgUrl() });
      await c.connect();
      try {
        return await c.query<{ n: string }>("SELECT current_setting('server_version_num') AS n");
      } finally {
        await c.end();
      }
    })();
    const version = `${Math.floor(Number(rows[0]!.n) / 10000)}.0`;
    await writeFile(
      join(bin, 'pg_dump'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) ${version}"; exit 0; fi\nhead -c 3000000 /dev/zero\necho "pg_dump: error: connection to server lost" >&2\nexit 1\n`,
    );
    await chmod(join(bin, 'pg_dump'), 0o755);
    path = [bin, process.env.PATH ?? ''].join(delimiter);
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ctx = (destination: Record<string, unknown>) => ({
    cwd: dir,
    config: {
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
          destination,
        },
      ],
    } as unknown as StackConfig,
    env: {
      ...process.env,
      PATH: path,
      APP_DATABASE_URL: pgUrl(),
      S3_KEY: s3.accessKeyId,
      S3_SECRET: s3.secretAccessKey,
    },
  });

  it('leaves no file, partial file or manifest in a local directory', async () => {
    const c = ctx({ type: 'local', path: join(dir, 'store') });
    const run = await backupRun(c);
    expect(run.result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/pg_dump failed \(exit 1\): .*connection to server lost/),
    });
    const left = await readdir(join(dir, 'store', 'nightly')).catch(() => []);
    expect(left).toEqual([]);
  });

  it('leaves no object in S3 (the multipart upload is aborted or removed)', async () => {
    const destination = {
      type: 's3',
      bucket: s3.bucket,
      prefix: 'fail',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      accessKeyId: { env: 'S3_KEY' },
      secretAccessKey: { env: 'S3_SECRET' },
    };
    const c = ctx(destination);
    const run = await backupRun(c);
    expect(run.result).toMatchObject({ ok: false, error: expect.stringMatching(/pg_dump failed/) });
    const d = await openDestination(c.config.backups[0]!, c);
    expect(await d.list('nightly/')).toEqual([]);
  });
});

describe.skipIf(!available)('a backup whose manifest cannot be written', () => {
  const name = uniquePgName('opsbook_bk_manifest');
  const url = pgUrl().replace(/\/[^/]*$/, `/${name}`);
  let dir: string;
  const admin = async (sql: string, on = pgUrl()) => {
    const c = new pg.Client({ connectionString: on });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-bkmanifest-'));
    await admin(`CREATE DATABASE "${name}"`);
    await admin('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)', url);
  });
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  });

  it('fails and removes the archive it stored, which no listing would ever show or prune', async () => {
    const local = localDestination(join(dir, 'store'));
    const destination = {
      ...local,
      putText: async () => {
        throw new Error('EDQUOT: disk quota exceeded');
      },
    };
    const entry = {
      id: 'nightly',
      database: 'db',
      urlEnv: 'APP_DATABASE_URL',
      format: 'custom',
      retention: { days: 30 },
    } as unknown as StackConfig['backups'][number];
    const result = await runBackup({ entry, url, destination, env: process.env });
    expect(result).toEqual({ ok: false, error: 'EDQUOT: disk quota exceeded' });
    expect(await local.list('nightly/')).toEqual([]);
  });

  it('keeps a backup that succeeded as a success when retention then fails, with the reason beside it', async () => {
    const path = join(dir, 'prune-fails');
    const config = {
      backups: [
        {
          id: 'nightly',
          database: 'db',
          urlEnv: 'APP_DATABASE_URL',
          managed: false,
          format: 'custom',
          retention: { keep: 1 },
          destination: { type: 'local', path },
        },
      ],
    } as unknown as StackConfig;
    const store = await openStore({ cwd: dir, env: {} });
    try {
      const ctx = { cwd: dir, config, env: { ...process.env, APP_DATABASE_URL: url }, store };
      const first = await backupRun(ctx);
      if (!first.result.ok) throw new Error(first.result.error);
      // The first archive cannot be removed (a directory stands in its place): the second run's prune fails.
      const archive = join(path, ...first.result.manifest.key.split('/'));
      await rm(archive);
      await mkdir(join(archive, 'locked'), { recursive: true });
      const second = await backupRun(ctx);
      expect(second.result.ok).toBe(true);
      expect(second.pruneError).toMatch(/directory/i);
      const [run] = await store.listRuns({ kind: 'backup', limit: 1 });
      expect(run?.status).toBe('succeeded');
    } finally {
      await store.close();
    }
  });
});
