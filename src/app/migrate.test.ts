import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDb,
  type ScratchDb,
  writeMigrations,
} from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { migrateRepair, migrateUp } from './migrate.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migrate use-case tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('migrate repair as the CLI runs it', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  beforeAll(async () => {
    db = await createScratchDb();
    folder = await writeMigrations({ '001_items.sql': 'CREATE TABLE items (id bigint);\n' });
  });
  afterAll(async () => {
    await db.drop();
    await folder.remove();
  });

  it('says a run with nothing to change was no dry run, and a --dry-run one was', async () => {
    const options = { cwd: folder.dir, dir: '.', databaseUrl: db.url };
    expect((await migrateUp({ ...options, confirm: async () => true })).status).toBe('ran');
    expect(await migrateRepair(options)).toMatchObject({ dryRun: false, changes: [] });
    expect(await migrateRepair({ ...options, dryRun: true })).toMatchObject({ dryRun: true, changes: [] });
  });
});
