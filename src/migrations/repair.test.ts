import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { UserError } from '../errors.js';
import { baselineHistory, migrateUp, migrationStatus, repairHistory } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`repair tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('repair against PostgreSQL', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  const opts = () => ({ cwd: folder.dir, dir: '.', databaseUrl: db.url });

  beforeEach(async () => {
    db = await createScratchDb();
    folder = await writeMigrations({
      '001_items.sql': 'CREATE TABLE items (id bigint);\n',
      '002_seed.sql': 'INSERT INTO items VALUES (1);\n',
    });
  });
  afterEach(async () => {
    await db.drop();
    await folder.remove();
  });

  it("refuses to repair or baseline opsbook's history for an engine that keeps its own, instead of 'nothing to change'", async () => {
    const prisma = { ...opts(), engine: 'prisma' };
    for (const change of [
      () => repairHistory(prisma),
      () => baselineHistory({ ...prisma, to: '20240101000000' }),
      () => baselineHistory({ ...prisma, from: 'prisma' }),
    ]) {
      const error = await Promise.resolve()
        .then(change)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({
        code: 'migration/engine-history',
        hint: expect.stringMatching(/prisma migrate resolve/),
      });
    }
    expect(await db.query("SELECT to_regclass('opsbook_migrations.history') IS NULL AS untouched")).toEqual([
      { untouched: true },
    ]);
  });

  it('baseline --from skips rows of the other tool whose version is not a number, instead of crashing', async () => {
    await db.query(
      `CREATE SCHEMA supabase_migrations;
       CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, name text);
       INSERT INTO supabase_migrations.schema_migrations VALUES ('001', 'items'), ('manual_fix', 'x');`,
    );
    const result = await baselineHistory({ ...opts(), from: 'supabase', dryRun: true });
    expect(result.changes.map((c) => [c.action, c.version])).toEqual([['import', '001']]);
  });

  it('refuses to repair against a folder with no migration files, which would forget every applied row', async () => {
    expect((await migrateUp(opts())).ok).toBe(true);
    await mkdir(join(folder.dir, 'empty'));
    const error = await repairHistory({ ...opts(), dir: 'empty' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UserError', code: 'migration/no-files' });
    expect((await repairHistory(opts())).changes).toEqual([]);
  });

  it('refuses to repair while two files share a version: it would take the new file for the applied one', async () => {
    expect((await migrateUp(opts())).ok).toBe(true);
    await folder.write('002_other.sql', 'INSERT INTO items VALUES (2);\n');
    const error = await repairHistory(opts()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UserError', code: 'migration/duplicate-version' });
  });

  it('never forgets an applied file that is there but refused (not UTF-8), so fixing it does not apply it twice', async () => {
    expect((await migrateUp(opts())).ok).toBe(true);
    // Saved as Latin-1 by an editor: the file is refused, not deleted.
    await writeFile(
      join(folder.dir, '002_seed.sql'),
      Buffer.from('INSERT INTO items VALUES (1); -- caf\xe9\n', 'latin1'),
    );
    const status = await migrationStatus(opts());
    expect(status.ok).toBe(false);
    expect(status.diagnostics.map((d) => d.code)).toEqual(['migration/bad-encoding']);
    expect(status.migrations.find((m) => m.version === '002')?.state).toBe('applied');
    expect((await repairHistory(opts())).changes).toEqual([]);

    await writeFile(join(folder.dir, '002_seed.sql'), 'INSERT INTO items VALUES (1); -- cafe\n');
    await repairHistory(opts());
    const up = await migrateUp(opts());
    expect(up.applied).toEqual([]);
    expect(await db.query('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 1 }]);
  });
});
