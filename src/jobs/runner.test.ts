import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { parseSchedule } from '../schedule/index.js';
import { openStore, type Store } from '../store/index.js';
import { type JobRunner, type ScheduledJob, startJobRunner } from './index.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`job runner team tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('scheduled jobs in team mode (PostgreSQL store)', () => {
  const schema = uniquePgName('opsbook_jobs_test');
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    const client = new pg.Client({ connectionString: pgUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  // Explicit ticks and a test clock: no step depends on wall time; only the store setup may be slow under load.
  it('runs each occurrence once across three instances, and again at the next occurrence', async () => {
    let clock = Date.parse('2026-12-04T01:59:30Z');
    const runs: string[] = [];
    const job = (instance: string): ScheduledJob => ({
      name: 'backup:nightly',
      schedule: parseSchedule('0 2 * * *'),
      async run() {
        runs.push(instance);
      },
    });
    const stop = new AbortController();
    const runners: JobRunner[] = [];
    for (const name of ['a', 'b', 'c']) {
      const store = await openStore({ cwd: process.cwd(), env: { OPSBOOK_DATABASE_URL: pgUrl() }, schema });
      stores.push(store);
      runners.push(
        startJobRunner({
          store,
          jobs: [job(name)],
          holder: name,
          signal: stop.signal,
          now: () => clock,
          since: clock,
          tickMs: 3_600_000,
        }),
      );
    }
    const tickAll = () => Promise.all(runners.map((r) => r.tick()));
    await tickAll();
    expect(runs).toEqual([]);
    clock = Date.parse('2026-12-04T02:00:05Z');
    await Promise.all([tickAll(), tickAll()]);
    await tickAll();
    expect(runs).toHaveLength(1);
    clock = Date.parse('2026-12-05T02:00:01Z');
    await tickAll();
    expect(runs).toHaveLength(2);
    stop.abort();
    await Promise.all(runners.map((r) => r.stopped));
  }, 120_000);
});
