/**
 * Read-only health queries for a PostgreSQL database: size, dead tuples, (auto)vacuum and analyze ages, unused and
 * duplicate indexes, connections against max_connections, and the top statements from pg_stat_statements when it
 * is installed. Only catalog and statistics views are read, so it is safe against production; `opsbook doctor`
 * can reuse it (exported from src/maintenance/index.ts).
 */
import type pg from 'pg';

export interface TableHealth {
  table: string;
  liveTuples: number;
  deadTuples: number;
  lastVacuum: string | null;
  lastAnalyze: string | null;
}

export interface IndexInfo {
  index: string;
  table: string;
  bytes: number;
}

export interface TopQuery {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

export interface PostgresHealth {
  database: string;
  serverVersion: string;
  sizeBytes: number;
  connections: { used: number; max: number };
  tables: TableHealth[];
  unusedIndexes: IndexInfo[];
  /** Groups of indexes with the same table, columns, operator classes, expressions and predicate. */
  duplicateIndexes: string[][];
  /** null when pg_stat_statements cannot be read; `topQueriesMissing` says why. */
  topQueries: TopQuery[] | null;
  topQueriesMissing?: string;
}

const TABLES = `
SELECT schemaname || '.' || relname AS table, n_live_tup AS live, n_dead_tup AS dead,
       greatest(last_vacuum, last_autovacuum) AS vacuumed, greatest(last_analyze, last_autoanalyze) AS analyzed
FROM pg_stat_user_tables ORDER BY n_dead_tup DESC, 1 LIMIT 200`;

// Unique and primary-key indexes enforce constraints: never "unused" even when no scan reads them.
const UNUSED = `
SELECT s.schemaname || '.' || s.indexrelname AS index, s.schemaname || '.' || s.relname AS table,
       pg_relation_size(s.indexrelid) AS bytes
FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
ORDER BY bytes DESC, 1 LIMIT 50`;

const DUPLICATES = `
SELECT array_agg(i.indexrelid::regclass::text ORDER BY i.indexrelid::regclass::text) AS names
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
GROUP BY i.indrelid, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
         coalesce(pg_get_expr(i.indpred, i.indrelid), '')
HAVING count(*) > 1`;

const TOP = `
SELECT left(query, 200) AS query, calls, total_exec_time AS total, mean_exec_time AS mean
FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY total_exec_time DESC LIMIT 5`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function readPostgresHealth(client: pg.Client): Promise<PostgresHealth> {
  const base = await client.query<{ db: string; v: string; size: string; used: string; max: string }>(
    `SELECT current_database() AS db, current_setting('server_version') AS v,
            pg_database_size(current_database()) AS size,
            (SELECT count(*) FROM pg_stat_activity) AS used, current_setting('max_connections') AS max`,
  );
  const tables = await client.query<{
    table: string;
    live: string;
    dead: string;
    vacuumed: Date | null;
    analyzed: Date | null;
  }>(TABLES);
  const unused = await client.query<{ index: string; table: string; bytes: string }>(UNUSED);
  const dups = await client.query<{ names: string[] }>(DUPLICATES);
  const hasStatements = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'");
  // Installed in the database but not preloaded, the view errors: report why there are no top queries, not fail.
  let missing: string | undefined = hasStatements.rows.length
    ? undefined
    : 'pg_stat_statements is not installed: no top queries (CREATE EXTENSION pg_stat_statements)';
  const top = hasStatements.rows.length
    ? await client
        .query<{ query: string; calls: string; total: number; mean: number }>(TOP)
        .catch((error: Error) => {
          missing = `pg_stat_statements cannot be read (${error.message}): add it to shared_preload_libraries`;
          return undefined;
        })
    : undefined;
  const b = base.rows[0]!;
  return {
    database: b.db,
    serverVersion: b.v,
    sizeBytes: Number(b.size),
    connections: { used: Number(b.used), max: Number(b.max) },
    tables: tables.rows.map((t) => ({
      table: t.table,
      liveTuples: Number(t.live),
      deadTuples: Number(t.dead),
      lastVacuum: iso(t.vacuumed),
      lastAnalyze: iso(t.analyzed),
    })),
    unusedIndexes: unused.rows.map((u) => ({ index: u.index, table: u.table, bytes: Number(u.bytes) })),
    duplicateIndexes: dups.rows.map((d) => d.names),
    topQueries: top
      ? top.rows.map((q) => ({ query: q.query, calls: Number(q.calls), totalMs: q.total, meanMs: q.mean }))
      : null,
    ...(missing ? { topQueriesMissing: missing } : {}),
  };
}
