import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { openStore } from './index.js';
import { describeStoreContract } from './store.contract.js';

const available = await pgAvailable();
if (!available)
  markPgSkipped('src/store/postgres.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describeStoreContract(
  'postgres',
  async () => {
    const schema = uniquePgName('opsbook_store_test');
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-pg-'));
    return {
      open: (options) => openStore({ cwd, env: { OPSBOOK_DATABASE_URL: pgUrl() }, schema, ...options }),
      dumpRaw: () =>
        withClient(async (client) => {
          const tables = await client.query<{ table_name: string }>(
            'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
            [schema],
          );
          const rows: string[] = [];
          for (const { table_name } of tables.rows) {
            const result = await client.query<{ row: string }>(
              `SELECT row_to_json(t)::text AS row FROM "${schema}"."${table_name}" t`,
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
  },
  { skip: available ? undefined : 'PostgreSQL unreachable' },
);
