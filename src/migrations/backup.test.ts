import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb } from '../../test/support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { backupTargets } from './backup.js';
import { connect, type DbClient } from './db.js';
import { findDestructiveTargets } from './destructive.js';
import { loadParser, parseSqlSync } from './parse-sql.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migration backup tests: no PostgreSQL at ${pgUrl()}`);

/** A stand-in pg_dump that writes half a dump to its --file and then fails the way `how` says. */
async function fakePgDump(dir: string, how: 'exit' | 'kill'): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const fail = how === 'exit' ? 'echo "pg_dump: error: connection lost" >&2; exit 1' : 'kill -9 $$';
  await writeFile(
    join(bin, 'pg_dump'),
    `#!/bin/sh\nfor a in "$@"; do case "$a" in --file=*) printf 'PGDMP partial' > "\${a#--file=}";; esac; done\n${fail}\n`,
  );
  await chmod(join(bin, 'pg_dump'), 0o755);
  return bin;
}

describe.skipIf(!available)('pg_dump backups before destructive files', () => {
  let db: ScratchDb;
  let client: DbClient;
  let dir: string;

  beforeEach(async () => {
    db = await createScratchDb('opsbook_backup');
    await db.query('CREATE TABLE users (id bigint)');
    client = await connect(db.url, 'test');
    dir = await mkdtemp(join(tmpdir(), 'opsbook-backup-'));
    await loadParser();
  });
  afterEach(async () => {
    await client.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const targets = () => findDestructiveTargets(parseSqlSync('DROP TABLE users;').statements);
  const backup = (bin?: string) =>
    backupTargets({
      client,
      databaseUrl: db.url,
      targets: targets(),
      backupsDir: 'backups',
      cwd: dir,
      label: '002_drop',
      env: bin ? { ...process.env, PATH: `${bin}:${process.env.PATH}` } : undefined,
    });

  it('writes a whole dump under its final name', async () => {
    const result = await backup();
    expect(result).toMatchObject({ ok: true, backup: { tables: ['users'] } });
    expect(await readdir(join(dir, 'backups'))).toEqual([expect.stringMatching(/-002_drop\.dump$/)]);
  });

  it('leaves nothing behind and says why when pg_dump fails', async () => {
    const result = await backup(await fakePgDump(dir, 'exit'));
    expect(result).toEqual({
      ok: false,
      error: 'pg_dump exited with code 1: pg_dump: error: connection lost',
    });
    expect(await readdir(join(dir, 'backups'))).toEqual([]);
  });

  it('names the signal when pg_dump is killed', async () => {
    const result = await backup(await fakePgDump(dir, 'kill'));
    expect(result).toEqual({ ok: false, error: 'pg_dump was killed by SIGKILL' });
    expect(await readdir(join(dir, 'backups'))).toEqual([]);
  });
});
