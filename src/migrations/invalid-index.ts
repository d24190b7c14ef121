/**
 * CREATE INDEX CONCURRENTLY that fails or is interrupted leaves an INVALID index behind, which makes the retry fail
 * with "already exists" and slows writes meanwhile. Before a concurrent build the runner drops such a leftover; on a
 * resume it recognises a VALID index of the same name as the statement having completed before the crash.
 */

import { nodeAs } from './ast.js';
import type { DbClient } from './db.js';
import type { SqlStatement } from './parse-sql.js';

/** Returns true when the statement is already done and must be skipped. */
export async function prepareConcurrentIndex(
  client: DbClient,
  stmt: SqlStatement,
  resuming: boolean,
): Promise<boolean> {
  const index = nodeAs(stmt.node, 'IndexStmt');
  if (!index?.concurrent || !index.idxname) return false;
  const { rows } = await client.query<{ name: string; valid: boolean }>(
    `SELECT c.oid::regclass::text AS name, i.indisvalid AS valid
       FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema())`,
    [index.idxname, index.relation?.schemaname ?? null],
  );
  const existing = rows[0];
  if (!existing) return false;
  if (!existing.valid) {
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${existing.name}`);
    return false;
  }
  return resuming && !index.if_not_exists;
}
