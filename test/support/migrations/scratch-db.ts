// Test helpers: a throwaway database per test on the test server, and migration folders in temp dirs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pgUrl, uniquePgName } from '../pg.js';

export interface ScratchDb {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A second session, e.g. to hold locks against the runner. */
  session(): Promise<pg.Client>;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createScratchDb(prefix = 'opsbook_mig'): Promise<ScratchDb> {
  const name = uniquePgName(prefix);
  const admin = new pg.Client({ connectionString: pgUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(pgUrl(), name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sessions: pg.Client[] = [];
  return {
    name,
    url,
    query: async (sql, params) => (await client.query(sql, params)).rows,
    async session() {
      const s = new pg.Client({ connectionString: url });
      await s.connect();
      sessions.push(s);
      return s;
    },
    async drop() {
      for (const s of [...sessions, client]) await s.end().catch(() => {});
      const cleanup = new pg.Client({ connectionString: pgUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** Writes `files` (name -> SQL) into a fresh temp folder and returns it with a cleanup. */
export async function writeMigrations(
  files: Record<string, string>,
): Promise<{ dir: string; write(name: string, sql: string): Promise<void>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'opsbook-mig-'));
  const write = (name: string, sql: string) => writeFile(join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) await write(name, sql);
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}
