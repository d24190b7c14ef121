// The migration lock under an idle-session killer, through the built CLI: two `migrate up` runs, one started mid-file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScratchDb, type ScratchDb, writeMigrations } from '../support/migrations/scratch-db.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../support/pg.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const available = await pgAvailable();
if (!available) markPgSkipped(`migrate lock e2e: no PostgreSQL at ${pgUrl()}`);

function opsbookUp(cwd: string, url: string) {
  const child = spawn(
    process.execPath,
    [cli, 'migrate', 'up', '--yes', '--dir', '.', '--database-url', url],
    {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
}

describe.skipIf(!available)('migrate up with idle_session_timeout = 1 s', () => {
  let db: ScratchDb;
  let folder: Awaited<ReturnType<typeof writeMigrations>>;

  beforeAll(() => {
    if (!existsSync(cli))
      throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  });
  beforeEach(async () => {
    db = await createScratchDb('opsbook_idle');
    await db.query('CREATE TABLE marks (step int NOT NULL); CREATE TABLE gate (open boolean)');
    // The second statement waits (the lock session idle all along) until the test opens the gate.
    const wait =
      'DO $$ BEGIN WHILE NOT EXISTS (SELECT 1 FROM gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END $$;';
    const steps = [1, 2, 3, 4, 5].map((n) => `INSERT INTO marks VALUES (${n});\nSELECT pg_sleep(0.3);\n`);
    folder = await writeMigrations({
      '001_slow.sql': `-- opsbook:no-transaction\n${steps[0]}${wait}\n${steps.slice(1).join('')}`,
    });
  });
  afterEach(async () => {
    await db.drop();
    await folder.remove();
  });

  it('applies every statement exactly once when a second runner starts mid-run', {
    timeout: 90_000,
  }, async () => {
    // Every session of both runners gets the timeout, as a per-role setting or a pooler would impose it.
    const url = new URL(db.url);
    url.searchParams.set('options', '-c idle_session_timeout=1000');
    const first = opsbookUp(folder.dir, url.toString());
    await waitFor('the first statement', async () => (await db.query('SELECT 1 FROM marks')).length > 0);
    const second = opsbookUp(folder.dir, url.toString());
    await waitFor(
      'the second runner to wait for the lock',
      async () => {
        const rows = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'opsbook-migrate:lock'",
        );
        return rows.length === 2;
      },
      { timeoutMs: 60_000, pollMs: 50 },
    );
    // Idle for well over a second by now, the lock session would be gone without its heartbeat.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await db.query('INSERT INTO gate VALUES (true)');
    const [a, b] = await Promise.all([first, second]);

    expect(await db.query('SELECT step, count(*)::int AS n FROM marks GROUP BY step ORDER BY step')).toEqual(
      [1, 2, 3, 4, 5].map((step) => ({ step, n: 1 })),
    );
    // The lock session outlived the 1 s idle limit (its heartbeat), so neither run was cut short.
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    expect(
      await db.query(
        'SELECT statements_applied, finished_at IS NOT NULL AS finished FROM opsbook_migrations.history',
      ),
    ).toEqual([{ statements_applied: 11, finished: true }]);
  });
});
