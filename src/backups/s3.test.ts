import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb } from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { type LoopbackS3, startS3 } from '../../test/support/s3.js';
import type { StackConfig } from '../config/index.js';
import { ProviderError } from '../errors.js';
import { backupList, backupPrune, backupRun, backupVerify } from './index.js';
import { s3Destination } from './s3-destination.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`S3 backup tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('backups to S3-compatible storage (s3rver on loopback)', () => {
  let db: ScratchDb;
  let s3: LoopbackS3;
  beforeAll(async () => {
    [db, s3] = await Promise.all([createScratchDb('opsbook_bks3'), startS3()]);
    // Random text compresses poorly: the archive spans more than one 8 MiB multipart part.
    await db.query('CREATE TABLE events (id bigint PRIMARY KEY, payload text)');
    await db.query(
      'INSERT INTO events SELECT g, md5(random()::text) || md5(random()::text) || md5(random()::text) FROM generate_series(1, 200000) g',
    );
  });
  afterAll(async () => {
    await db?.drop();
    await s3?.close();
  });

  const ctx = () => ({
    cwd: process.cwd(),
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
          retention: { keep: 1 },
          destination: {
            type: 's3',
            bucket: s3.bucket,
            prefix: 'app/prod',
            region: 'us-east-1',
            endpoint: s3.endpoint,
            accessKeyId: { env: 'S3_KEY' },
            secretAccessKey: { env: 'S3_SECRET' },
          },
        },
      ],
    } as unknown as StackConfig,
    env: { ...process.env, APP_DATABASE_URL: db.url, S3_KEY: s3.accessKeyId, S3_SECRET: s3.secretAccessKey },
  });

  it('uploads in parts, lists, verifies by a restore, and prunes to the retention', async () => {
    const first = await backupRun(ctx(), undefined, false);
    if (!first.result.ok) throw new Error(first.result.error);
    expect(first.result.manifest.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(first.result.manifest.tables).toEqual([
      { schema: 'public', name: 'events', rows: 200000, estimate: expect.any(Number) },
    ]);
    const firstId = first.result.manifest.id;
    const verified = await backupVerify(ctx());
    expect(verified).toMatchObject({ ok: true, problems: [] });

    await db.query('DELETE FROM events WHERE id > 100000');
    const second = await backupRun(ctx(), undefined, false);
    if (!second.result.ok) throw new Error(second.result.error);
    expect((await backupList(ctx())).map((b) => b.manifest.id)).toEqual([
      second.result.manifest.id,
      first.result.manifest.id,
    ]);

    // keep: 1 lets the first go, but it is the last verified backup: it stays.
    const prune = await backupPrune(ctx(), undefined, false);
    expect(prune.removed).toEqual([]);
    expect(prune.decisions.find((d) => d.id === firstId)?.reasons).toEqual(['last verified backup']);
  });
});

describe('an S3 destination that cannot be used', () => {
  let s3: LoopbackS3;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('fails as the storage provider with the object and the reason, not as a bug in opsbook', async () => {
    const creds = { region: 'us-east-1', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    const noBucket = s3Destination({ ...creds, bucket: 'no-such-bucket', endpoint: s3.endpoint });
    await expect(noBucket.list('nightly/')).rejects.toMatchObject({
      name: 'ProviderError',
      provider: 's3',
      status: 404,
      message: 'listing s3://no-such-bucket/nightly/ failed: The specified bucket does not exist',
    });
    // A missing bucket is not a missing object: a manifest read from it is not "no manifest".
    await expect(noBucket.getText('nightly/x.manifest.json')).rejects.toBeInstanceOf(ProviderError);
    const down = s3Destination({ ...creds, bucket: s3.bucket, endpoint: 'http://127.0.0.1:1' });
    await expect(down.list('nightly/')).rejects.toThrow(
      /^listing s3:\/\/backups\/nightly\/ failed: .*ECONNREFUSED/,
    );
    await expect(down.getText('nightly/x.manifest.json')).rejects.toBeInstanceOf(ProviderError);
    await expect(down.putText('nightly/x.verify.json', '{}')).rejects.toBeInstanceOf(ProviderError);
    await expect(down.remove('nightly/x.dump')).rejects.toBeInstanceOf(ProviderError);
  });
});
