/** `migrate up --json` stopped by Ctrl-C: one envelope that says it failed, and the history where the run stopped. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb, writeMigrations } from '../support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../support/pg.js';
import { cli } from '../support/run-cli.js';
import { waitForValue } from '../support/wait-for.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`migrate interrupt e2e: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('migrate up --json interrupted', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;
  beforeAll(async () => {
    db = await createScratchDb('opsbook_interrupt');
    folder = await writeMigrations({
      '001_slow.sql': 'CREATE TABLE slow (id bigint);\nSELECT pg_sleep(2);\n',
      '002_next.sql': 'CREATE TABLE next_t (id bigint);\n',
    });
  });
  afterAll(async () => {
    await db.drop();
    await folder.remove();
  });

  it('prints an ok:false envelope with the interruption on stdout, and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [cli, 'migrate', 'up', '--yes', '--json', '--dir', '.', '--database-url', db.url],
      { cwd: folder.dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitForValue('the slow statement to run', async () => {
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2)%'",
      );
      return row?.n ? true : undefined;
    });
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    const envelope = JSON.parse(stdout) as { ok: boolean; error?: { code: string } };
    expect(envelope).toMatchObject({ ok: false, command: 'migrate', error: { code: 'interrupted' } });
    // The file in flight finished; the run stopped before the next one, which the next run applies.
    expect(
      await db.query('SELECT version, finished_at IS NOT NULL AS done FROM opsbook_migrations.history'),
    ).toEqual([{ version: '001', done: true }]);
  });
});
