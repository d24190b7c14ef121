import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl } from '../test/support/pg.js';
import { waitFor } from '../test/support/wait-for.js';
import { environmentProblem } from './environment-error.js';
import { openStore, SQLITE_PATH } from './store/index.js';

const available = await pgAvailable();
if (!available)
  markPgSkipped('src/environment-error.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

/** The error a real call raised, to classify what opsbook would meet. */
async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('environmentProblem', () => {
  it('names a state store file that is not an SQLite database, on the main thread and on the store thread', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-notadb-'));
    try {
      await mkdir(join(cwd, '.opsbook'), { recursive: true });
      await writeFile(join(cwd, SQLITE_PATH), 'not a database, a text file written over it\n'.repeat(200));
      for (const thread of [false, true]) {
        const error = await caught(() => openStore({ cwd, env: {}, sqlite: { thread } }));
        expect(environmentProblem(error)).toMatchObject({
          code: 'environment/state-store',
          message: expect.stringContaining('damaged file'),
        });
      }
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it.skipIf(!available)('names a lock held by another session past the lock timeout', async () => {
    const holder = new pg.Client({ connectionString: pgUrl() });
    const waiter = new pg.Client({ connectionString: pgUrl() });
    await Promise.all([holder.connect(), waiter.connect()]);
    const table = `opsbook_lock_busy_${process.pid}`;
    try {
      await holder.query(`CREATE TABLE ${table} (id int)`);
      await holder.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      await waiter.query("SET lock_timeout = '100ms'");
      const error = await caught(() => waiter.query(`SELECT * FROM ${table}`));
      expect(environmentProblem(error)).toMatchObject({
        code: 'environment/database-lock-busy',
        hint: expect.stringContaining('another session holds a lock'),
      });
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await Promise.all([holder.end(), waiter.end()]);
    }
  });

  it.skipIf(!available)('names a role out of connections (its limit reached), with what to do', async () => {
    const admin = new pg.Client({ connectionString: pgUrl() });
    await admin.connect();
    const role = `opsbook_no_conn_${process.pid}`;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
      const url = new URL(pgUrl());
      url.username = role;
      const client = new pg.Client({ connectionString: url.href });
      client.on('error', () => {});
      const error = await caught(() => client.connect());
      expect((error as { code?: string }).code).toBe('53300');
      expect(environmentProblem(error)).toMatchObject({
        code: 'environment/database-resources',
        hint: expect.stringContaining('no connection left'),
      });
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    }
  });

  it('names a full disk (the error writing to /dev/full), with a fix', async () => {
    const error = await caught(() => writeFile('/dev/full', 'x'.repeat(65536)));
    expect(environmentProblem(error)).toMatchObject({
      code: 'environment/enospc',
      message: expect.stringContaining('no space left on the device'),
      hint: expect.stringContaining('free some disk space'),
    });
  });

  it.skipIf(!available)('names a database connection dropped mid-query by the server', async () => {
    const victim = new pg.Client({ connectionString: pgUrl() });
    victim.on('error', () => {});
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const running = caught(() => victim.query('SELECT pg_sleep(30)'));
    const admin = new pg.Client({ connectionString: pgUrl() });
    await admin.connect();
    // Wait until the sleep is running on the server, then end that backend as a restart or failover would.
    await waitFor(
      'the query to run on the server',
      async () =>
        (
          await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%'", [
            pid,
          ])
        ).rows.length > 0,
      { pollMs: 20 },
    );
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    const problem = environmentProblem(await running);
    await victim.end().catch(() => {});
    expect(problem).toMatchObject({ code: 'environment/database-connection-lost' });
  });

  it.skipIf(!available)(
    'names a privilege the database user lacks (SQLSTATE 42501): a grant to make, not a bug',
    async () => {
      const client = new pg.Client({ connectionString: pgUrl() });
      await client.connect();
      const role = `opsbook_env_${process.pid}`;
      try {
        await client.query(`CREATE ROLE ${role} NOLOGIN`);
        await client.query(`SET ROLE ${role}`);
        const error = await caught(() => client.query('SELECT * FROM pg_authid'));
        expect(environmentProblem(error)).toMatchObject({
          code: 'environment/database-privilege',
          message: expect.stringContaining('permission denied for table pg_authid'),
          hint: expect.stringContaining('GRANT'),
        });
      } finally {
        await client.query(`RESET ROLE; DROP ROLE IF EXISTS ${role}`).catch(() => {});
        await client.end();
      }
    },
  );

  it.skipIf(!available)(
    'names a read-only database (a replica, default_transaction_read_only): not a bug',
    async () => {
      const client = new pg.Client({ connectionString: pgUrl() });
      await client.connect();
      try {
        await client.query('SET default_transaction_read_only = on');
        const error = await caught(() => client.query('CREATE SCHEMA opsbook_never_created'));
        expect(environmentProblem(error)).toMatchObject({
          code: 'environment/database-read-only',
          message: expect.stringContaining('read-only'),
          hint: expect.stringContaining('primary'),
        });
      } finally {
        await client.end();
      }
    },
  );

  it.skipIf(!available)(
    'names a query the server cancelled (a statement_timeout set on the role or database)',
    async () => {
      const client = new pg.Client({ connectionString: pgUrl() });
      await client.connect();
      try {
        await client.query("SET statement_timeout = '10ms'");
        const error = await caught(() => client.query('SELECT pg_sleep(1)'));
        expect(environmentProblem(error)).toMatchObject({
          code: 'environment/database-query-cancelled',
          message: expect.stringContaining('statement timeout'),
          hint: expect.stringContaining('statement_timeout'),
        });
      } finally {
        await client.end();
      }
    },
  );

  it('leaves opsbook’s own errors alone: those are bugs', () => {
    expect(
      environmentProblem(new TypeError("Cannot read properties of undefined (reading 'x')")),
    ).toBeUndefined();
    expect(environmentProblem('a string')).toBeUndefined();
  });
});
