/** Small helpers the monitoring store's SQL shares: times as epoch ms, multi-row VALUES, retries. */

import { backoffDelay, sleep } from '../timing/index.js';
import type { TimeInput } from './monitoring-types.js';
import type { Row, SqlExecutor, SqlParam, SqlScalar, SqlStatement } from './sql-executor.js';

export function toMs(value: TimeInput): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`invalid time: ${String(value)}`);
  return ms;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** A nullable integer or float column: pg returns bigint as a string. */
export function num(value: unknown): number | null {
  return value == null ? null : Number(value);
}

/** `(?, ?, ?), (?, ?, ?)`: `count` rows of `width` placeholders, or of `row` when a row needs casts. */
export function valuesList(count: number, width: number, row?: string): string {
  const key = `${count} ${width} ${row ?? ''}`;
  let list = lists.get(key);
  if (list === undefined) {
    const one = row ?? `(${Array.from({ length: width }, () => '?').join(', ')})`;
    list = Array.from({ length: count }, () => one).join(', ');
    lists.set(key, list);
  }
  return list;
}

/** Each flush of check results builds a few lists of hundreds of rows; their sizes repeat, so they are kept. */
const lists = new Map<string, string>();

/**
 * The statements that feed `rows` to `sql(source)`, where `source` is a row source (`VALUES ...` or a SELECT) of the
 * given columns, whose PostgreSQL types `types` lists. `push` appends a row's values in column order; `after` are the
 * parameters of `sql`'s own placeholders, which follow the source.
 *
 * On PostgreSQL the rows go as one array per column through `unnest`: one short statement whatever the row count,
 * parsed and planned in no time. One, because each statement of a transaction is a round trip through the event loop
 * the checks share (a flush of 1,000 results was once 40 statements, and one took 3 s during a /metrics scrape).
 * Short, because PostgreSQL parses and plans every placeholder of a VALUES list, on the cores the checks share: 6,666
 * rows of 9 columns took 160 ms to insert as a VALUES list and 50 ms through unnest, and the flushes at 2,000 checks/s
 * write that many rows several times a second. SQLite has no arrays and takes VALUES lists of `sqliteRows` rows,
 * `sqliteRow` when a row needs casts.
 */
export function rowStatements<T>(
  db: Pick<SqlExecutor, 'backend'>,
  rows: readonly T[],
  {
    types,
    push,
    sql,
    after = [],
    sqliteRows,
    sqliteRow,
  }: {
    types: readonly string[];
    push: (row: T, out: SqlScalar[]) => void;
    sql: (source: string) => string;
    after?: readonly SqlParam[];
    sqliteRows: number;
    sqliteRow?: string;
  },
): SqlStatement[] {
  if (!rows.length) return [];
  if (db.backend !== 'postgres') {
    return chunk(rows, sqliteRows).map((part) => {
      const values: SqlScalar[] = [];
      for (const row of part) push(row, values);
      const params: SqlParam[] = values;
      params.push(...after);
      return { sql: sql(`VALUES ${valuesList(part.length, types.length, sqliteRow)}`), params };
    });
  }
  const columns: SqlScalar[][] = types.map(() => new Array<SqlScalar>(rows.length));
  const values: SqlScalar[] = [];
  for (let i = 0; i < rows.length; i++) {
    values.length = 0;
    push(rows[i] as T, values);
    for (let c = 0; c < columns.length; c++) (columns[c] as SqlScalar[])[i] = values[c] ?? null;
  }
  const source = `SELECT * FROM unnest(${types.map((type) => `CAST(? AS ${type}[])`).join(', ')})`;
  return [{ sql: sql(source), params: [...columns, ...after] }];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs a batch, again when PostgreSQL picked it as a deadlock victim or a serialization failure: two
 * instances writing the same hour bucket can collide, and the batch is safe to repeat as a whole.
 */
export async function batchWithRetry(db: SqlExecutor, statements: SqlStatement[]): Promise<Row[][]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.batch(statements);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 4 || (code !== '40P01' && code !== '40001')) throw error;
      await sleep(backoffDelay(attempt, { baseMs: 10, jitter: 'full' }));
    }
  }
}

/** A stable 32-bit hash (FNV-1a): every instance spreads a monitor to the same phase of its interval. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
