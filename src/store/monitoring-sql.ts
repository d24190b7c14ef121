/** Small helpers the monitoring store's SQL shares: times as epoch ms, multi-row VALUES, retries. */

import { backoffDelay, sleep } from '../timing/index.js';
import type { TimeInput } from './monitoring-types.js';
import type { Row, SqlExecutor, SqlStatement } from './sql-executor.js';

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
 * Rows per multi-row statement of `width` parameters each. On PostgreSQL each statement of a transaction is a round
 * trip through the event loop that the checks share, and a flush of 1,000 check results was 40 statements: while a
 * /metrics scrape kept that loop busy, one took 3 s, and monitors whose next slot it had not yet written could not
 * be claimed. So PostgreSQL takes as many rows as its 65,535 parameters allow: a flush of 1,000 while another task
 * held the loop 10 ms in every 12 took 350 instead of 520 ms. SQLite runs a whole transaction on its own thread in
 * one message, and keeps `sqliteRows`.
 */
export function rowsPerStatement(
  db: Pick<SqlExecutor, 'backend'>,
  width: number,
  sqliteRows: number,
): number {
  return db.backend === 'postgres' ? Math.floor(60_000 / width) : sqliteRows;
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
