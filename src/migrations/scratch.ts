/**
 * `migrate test`: apply every migration to a throwaway database on the same server before anything touches the real
 * target, and report what fails. The scratch database is always dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { maskCredentials } from '../redact/index.js';
import { connect, quoteIdent, requireDatabaseUrl } from './db.js';
import { type AppliedMigration, migrateUp, type UpOptions } from './up.js';

export interface TestResult {
  ok: boolean;
  /** The server, password masked. */
  server: string;
  database: string;
  applied: AppliedMigration[];
  diagnostics: Diagnostic[];
}

export async function testMigrations(options: UpOptions): Promise<TestResult> {
  const url = requireDatabaseUrl(options);
  const admin = await connect(url, 'test').catch((error: Error) => {
    throw new UserError(
      `migrate test needs a PostgreSQL server to create a scratch database on, and none is reachable: ${error.message}`,
      'start a local server (e.g. docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres) and pass its URL with --database-url; an embedded PGlite fallback is not available in this build',
      'migration/no-server',
    );
  });
  const database = `opsbook_scratch_${process.pid}_${randomBytes(3).toString('hex')}`;
  const scratchUrl = withDatabase(url, database);
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    const up = await migrateUp({
      ...options,
      databaseUrl: scratchUrl,
      skipLint: true,
      noBackupReason: 'scratch database for migrate test',
      journal: undefined,
    });
    return {
      ok: up.ok,
      server: maskCredentials(url),
      database,
      applied: up.applied,
      diagnostics: up.diagnostics.filter((d) => d.code !== 'migration/resuming-edited-file'),
    };
  } finally {
    await admin
      .query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`)
      .catch(() => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`).catch(() => {}));
    await admin.end().catch(() => {});
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
