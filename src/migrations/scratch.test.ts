import { afterEach, describe, expect, it } from 'vitest';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { testMigrations } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migrate test tests: no PostgreSQL at ${pgUrl()}`);

describe('migrate test', () => {
  let folder: Awaited<ReturnType<typeof writeMigrations>> | undefined;
  let db: ScratchDb | undefined;
  afterEach(async () => {
    await folder?.remove();
    await db?.drop();
  });

  it('explains that it needs a server when none answers', async () => {
    folder = await writeMigrations({ '001_a.sql': 'SELECT 1;\n' });
    // Port 9 (discard) is closed on loopback: the connection is refused at once.
    await expect(
      testMigrations({ cwd: folder.dir, dir: '.', databaseUrl: 'postgres://u:pw-123@127.0.0.1:9/x' }),
    ).rejects.toMatchObject({
      code: 'migration/no-server',
      message: expect.not.stringContaining('pw-123'),
      hint: expect.stringContaining('PGlite'),
    });
  });

  describe.skipIf(!available)('on the test server', () => {
    it('applies every file to a scratch database, reports the failing statement, and drops the database', async () => {
      db = await createScratchDb('opsbook_target');
      folder = await writeMigrations({
        '001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
        '002_bad.sql':
          'ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_x_idx ON users (missing_column);\n',
      });
      const result = await testMigrations({ cwd: folder.dir, dir: '.', databaseUrl: db.url });
      expect(result.ok).toBe(false);
      expect(result.applied.map((a) => [a.version, a.status])).toEqual([
        ['001', 'applied'],
        ['002', 'failed'],
      ]);
      expect(result.diagnostics[0]).toMatchObject({
        code: 'migration/statement-failed',
        location: { file: '002_bad.sql', line: 2 },
      });
      // The real target was not touched and the scratch database is gone.
      expect(await db.query("SELECT to_regclass('users') AS t")).toEqual([{ t: null }]);
      expect(await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [result.database])).toEqual([]);
    });

    it('drops the scratch database a killed run left behind once no run can still be using it', async () => {
      db = await createScratchDb('opsbook_target');
      folder = await writeMigrations({ '001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' });
      const hex = () =>
        Math.floor(Math.random() * 0xffffff)
          .toString(16)
          .padStart(6, '0');
      const seconds = Math.floor(Date.now() / 1000);
      const abandoned = `opsbook_scratch_${seconds - 2 * 86_400}_1_${hex()}`;
      const recent = `opsbook_scratch_${seconds - 60}_1_${hex()}`;
      for (const name of [abandoned, recent]) await db.query(`CREATE DATABASE "${name}"`);
      try {
        const result = await testMigrations({ cwd: folder.dir, dir: '.', databaseUrl: db.url });
        expect(result.ok).toBe(true);
        expect(result.diagnostics).toContainEqual(
          expect.objectContaining({
            code: 'migration/scratch-dropped',
            message: expect.stringContaining(abandoned),
          }),
        );
        const left = await db.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1',
          [[abandoned, recent]],
        );
        // A run of a minute ago may still be going: it stays.
        expect(left).toEqual([{ datname: recent }]);
      } finally {
        for (const name of [abandoned, recent]) await db.query(`DROP DATABASE IF EXISTS "${name}"`);
      }
    });

    it('fails a file the parser rejects instead of "applying" it as zero statements', async () => {
      db = await createScratchDb('opsbook_target');
      folder = await writeMigrations({
        '001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nSELECT FROM;\n',
      });
      const result = await testMigrations({ cwd: folder.dir, dir: '.', databaseUrl: db.url });
      expect([result.ok, result.applied]).toEqual([false, []]);
      expect(result.diagnostics).toContainEqual(
        expect.objectContaining({
          code: 'migration/syntax-error',
          location: expect.objectContaining({ line: 2 }),
        }),
      );
    });
  });
});
