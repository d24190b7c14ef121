/** The user tables of a database with exact row counts: recorded at backup time, compared after a restore. */
import { printable } from '../output/index.js';
import { type PgClient, quoteIdent } from './pg.js';
import type { TableCount } from './types.js';

// Extension-owned tables are not dumped as data, so they are left out on both sides.
const TABLES_SQL = `
SELECT n.nspname AS schema, c.relname AS name, c.reltuples::bigint AS estimate
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2`;

export async function countTables(client: PgClient): Promise<TableCount[]> {
  const { rows } = await client.query<{ schema: string; name: string; estimate: string }>(TABLES_SQL);
  const out: TableCount[] = [];
  for (const r of rows) {
    const { rows: c } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${quoteIdent(r.schema)}.${quoteIdent(r.name)}`,
    );
    out.push({ schema: r.schema, name: r.name, rows: Number(c[0]?.n ?? 0), estimate: Number(r.estimate) });
  }
  return out;
}

/** Differences between the manifest's tables and a restored database's: empty when they match. */
export function compareTables(expected: readonly TableCount[], actual: readonly TableCount[]): string[] {
  const key = (t: TableCount) => `${t.schema}.${t.name}`;
  // Names come from the database: shown with any escape sequence in them as \xNN.
  const show = (t: TableCount) => printable(key(t));
  const got = new Map(actual.map((t) => [key(t), t.rows]));
  const problems: string[] = [];
  for (const t of expected) {
    const rows = got.get(key(t));
    if (rows === undefined) problems.push(`table ${show(t)} is missing after the restore`);
    else if (rows !== t.rows)
      problems.push(`table ${show(t)} has ${rows} rows, the backup recorded ${t.rows}`);
  }
  const want = new Set(expected.map(key));
  for (const t of actual)
    if (!want.has(key(t))) problems.push(`table ${show(t)} appeared that the backup did not record`);
  return problems;
}
