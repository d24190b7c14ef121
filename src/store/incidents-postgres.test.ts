import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { describeIncidentsContract } from './incidents.contract.js';
import { openStore } from './index.js';

const available = await pgAvailable();
if (!available)
  markPgSkipped('src/store/incidents-postgres.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

describeIncidentsContract(
  'postgres',
  async () => {
    const schema = uniquePgName('opsbook_incidents_test');
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-incidents-pg-'));
    return {
      open: (options) => openStore({ cwd, env: { OPSBOOK_DATABASE_URL: pgUrl() }, schema, ...options }),
      dispose: async () => {
        const client = new pg.Client({ connectionString: pgUrl() });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
        await rm(cwd, { recursive: true, force: true });
      },
    };
  },
  { skip: available ? undefined : 'PostgreSQL unreachable' },
);
