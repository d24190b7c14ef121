import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { openStore } from './index.js';
import { definition, describeMonitoringContract } from './monitoring.contract.js';

const available = await pgAvailable();
if (!available)
  markPgSkipped('src/store/monitoring-postgres.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createTarget() {
  const schema = uniquePgName('opsbook_monitoring_test');
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-monitoring-pg-'));
  return {
    schema,
    open: (options?: Parameters<typeof openStore>[0] extends infer O ? Partial<O> : never) =>
      openStore({ cwd, env: { OPSBOOK_DATABASE_URL: pgUrl() }, schema, ...options }),
    dumpRaw: () =>
      withClient(async (client) => {
        const rows: string[] = [];
        for (const table of ['monitor_samples', 'monitor_schedule', 'monitor_rollups']) {
          const result = await client.query<{ row: string }>(
            `SELECT row_to_json(t)::text AS row FROM "${schema}"."${table}" t`,
          );
          rows.push(...result.rows.map((r) => r.row));
        }
        return rows.join('\n');
      }),
    dispose: async () => {
      await withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

describeMonitoringContract('postgres', createTarget, {
  skip: available ? undefined : 'PostgreSQL unreachable',
});

describe.skipIf(!available)('monitoring store on postgres', () => {
  it('claims a check by updating its schedule row in place, without new index entries (a HOT update)', async () => {
    const target = await createTarget();
    const store = await target.open({ now: () => new Date('2030-01-01T00:00:00.000Z') });
    let closed = false;
    try {
      const ids = Array.from({ length: 10 }, (_, i) => `production:svc:m${i}`);
      await store.monitoring.syncMonitors(
        'production',
        ids.map((id) => definition(id, 10_000)),
      );
      const claimed = await store.monitoring.claimDue({
        owner: 'one',
        environment: 'production',
        horizon: Date.parse('2030-01-01T00:00:10.000Z'),
        limit: 100,
      });
      expect(claimed).toHaveLength(10);
      // A backend publishes its table counters when it ends (or after some idle seconds): close the store's pool.
      await store.close();
      closed = true;
      const hotUpdates = async () =>
        withClient(async (client) => {
          const { rows } = await client.query<{ hot: string }>(
            `SELECT n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'monitor_schedule'`,
            [target.schema],
          );
          return Number(rows[0]?.hot ?? 0);
        });
      let hot = await hotUpdates();
      for (const deadline = Date.now() + 5_000; hot < 10 && Date.now() < deadline; hot = await hotUpdates())
        await new Promise((r) => setTimeout(r, 100));
      // With the lease owner indexed, none was: every claim wrote a new entry in each of the table's indexes.
      expect(hot).toBe(10);
    } finally {
      if (!closed) await store.close();
      await target.dispose();
    }
  });

  it('lets one instance prune at a time: the others see the advisory lock held and skip', async () => {
    const target = await createTarget();
    const store = await target.open();
    try {
      const retention = { raw: 1, minute: 1, hour: 1, day: 1 };
      await withClient(async (holder) => {
        // Another instance mid-prune: it holds the same transaction-scoped lock.
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `opsbook:monitoring:prune:"${target.schema}".monitor_rollups`,
        ]);
        expect((await store.monitoring.prune(retention)).pruned).toBe(false);
        await holder.query('COMMIT');
      });
      expect((await store.monitoring.prune(retention)).pruned).toBe(true);
    } finally {
      await store.close();
      await target.dispose();
    }
  });
});
