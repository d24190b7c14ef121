/** `migrate up --json` stopped by Ctrl-C: one envelope that says it failed, and the history where the run stopped. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb, writeMigrations } from '../support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../support/pg.js';
import { cli, runCli } from '../support/run-cli.js';
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

  it('stops a statement-by-statement file between statements, exits 130, and the next run resumes there', async () => {
    const nt = await createScratchDb('opsbook_interrupt_nt');
    const files = await writeMigrations({
      '001_steps.sql':
        '-- opsbook:no-transaction\nCREATE TABLE a (id bigint);\nSELECT pg_sleep(2);\nCREATE TABLE b (id bigint);\n',
    });
    try {
      const args = ['migrate', 'up', '--yes', '--dir', '.', '--database-url', nt.url];
      const child = spawn(process.execPath, [cli, ...args], {
        cwd: files.dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await waitForValue('the sleep to run', async () => {
        const [row] = await nt.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(2)%'",
        );
        return row?.n ? true : undefined;
      });
      child.kill('SIGINT');
      // The last file of the run: it used to finish it and exit 0, as if nothing had been asked.
      expect(await exited, stderr).toBe(130);
      expect(stderr).toMatch(/2 of 3 statement\(s\) of 001_steps\.sql are applied/);
      expect(
        await nt.query(
          "SELECT statements_applied, finished_at IS NULL AS open, to_regclass('b') IS NULL AS no_b FROM opsbook_migrations.history",
        ),
      ).toEqual([{ statements_applied: 2, open: true, no_b: true }]);
      const again = await runCli(args, files.dir, { ...process.env, NO_COLOR: '1' });
      expect(again.code, again.stderr).toBe(0);
      expect(await nt.query("SELECT to_regclass('b') IS NOT NULL AS b")).toEqual([{ b: true }]);
    } finally {
      await nt.drop();
      await files.remove();
    }
  });
});
