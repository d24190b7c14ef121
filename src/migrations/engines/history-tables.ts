/** Reading the engines' own history tables, read-only and defensive: a missing table means nothing applied yet. */
import type { DbClient } from '../db.js';
import type { EngineHistoryEntry } from './types.js';

export async function tableExists(client: DbClient, table: string): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return Boolean(rows[0]?.t);
}

/** Rows of `SELECT <id> AS id ...` as applied entries; undefined when the table does not exist. */
export async function appliedIds(
  client: DbClient,
  table: string,
  sql: string,
): Promise<EngineHistoryEntry[] | undefined> {
  if (!(await tableExists(client, table))) return undefined;
  const { rows } = await client.query<{ id: string; at: string | null }>(sql);
  return rows.map((r) => ({ id: String(r.id), state: 'applied', appliedAt: r.at ?? undefined }));
}
