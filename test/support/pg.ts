// PostgreSQL for tests: where it is, whether it answers, and a loud, recorded skip when it does not.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import pg from 'pg';

const ROOT = new URL('../../', import.meta.url);

/** OPSBOOK_TEST_DATABASE_URL, or the CI machine's loopback server. */
export function pgUrl(): string {
  return process.env.OPSBOOK_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
}

/** True when a connection succeeds within 2 s. */
export async function pgAvailable(url: string = pgUrl()): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Warns on stderr and appends to .opsbook-test/pg-skipped, which makes CI fail. */
export function markPgSkipped(reason: string): void {
  const dir = new URL('.opsbook-test/', ROOT);
  mkdirSync(dir, { recursive: true });
  appendFileSync(new URL('pg-skipped', dir), `${new Date().toISOString()} ${reason}\n`);
  process.stderr.write(`\n!!! PostgreSQL tests SKIPPED: ${reason}\n\n`);
}

/** A schema or database name no parallel test uses: `prefix_<pid>_<random>`. */
export function uniquePgName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
