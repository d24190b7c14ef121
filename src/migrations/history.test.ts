import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { UserError } from '../errors.js';
import { migrateUp, migrationStatus } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`history table tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)("opsbook's history table", () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;

  beforeEach(async () => {
    db = await createScratchDb();
    folder = await writeMigrations({ '001_items.sql': 'CREATE TABLE items (id bigint);\n' });
  });
  afterEach(async () => {
    await db.drop();
    await folder.remove();
  });

  it("refuses a schema whose history table is not opsbook's (an app's own audit table), touching nothing", async () => {
    await db.query('CREATE SCHEMA app; CREATE TABLE app.history (id int, note text)');
    const options = { cwd: folder.dir, dir: '.', databaseUrl: db.url, schema: 'app' };
    for (const run of [() => migrationStatus(options), () => migrateUp(options)]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({
        code: 'migration/not-opsbook-history',
        message: expect.stringMatching(/app\.history/),
      });
    }
    expect(
      await db.query(
        "SELECT to_regclass('app.events') IS NULL AS no_events, to_regclass('public.items') IS NULL AS no_items",
      ),
    ).toEqual([{ no_events: true, no_items: true }]);
  });

  it('says the database user lacks the privilege to keep the history, instead of crashing', async () => {
    const role = uniquePgName('opsbook_lowpriv');
    await db.query(`CREATE ROLE ${role} LOGIN; REVOKE CREATE ON DATABASE "${db.name}" FROM PUBLIC`);
    try {
      const url = new URL(db.url);
      url.username = role;
      url.password = 'pw-for-test';
      const options = { cwd: folder.dir, dir: '.', databaseUrl: url.toString() };
      const up = await migrateUp(options).catch((e: unknown) => e);
      expect(up).toBeInstanceOf(UserError);
      expect(up).toMatchObject({
        code: 'migration/no-privilege',
        message: expect.stringMatching(/permission denied/),
      });
      // Created by someone allowed to, the schema is still not readable by this user.
      await db.query(
        `CREATE SCHEMA opsbook_migrations; CREATE TABLE opsbook_migrations.history (version text)`,
      );
      const status = await migrationStatus(options).catch((e: unknown) => e);
      expect(status).toMatchObject({ code: 'migration/no-privilege' });
      expect((status as UserError).message).not.toContain('pw-for-test');
    } finally {
      await db.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => {});
    }
  });
});
