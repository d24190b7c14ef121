/** The messages between the main thread and a threaded SQLite store's worker (sqlite-thread.ts, sqlite-worker.ts). */
import { UserError } from '../errors.js';
import type { SqlParam, SqlStatement } from './sql-executor.js';
import type { SqliteDriverOptions } from './sqlite-driver.js';

export type ThreadAsk =
  | { op: 'all'; sql: string; params: SqlParam[] }
  | { op: 'batch'; statements: readonly SqlStatement[] }
  | { op: 'close' };

export type ThreadRequest = ThreadAsk & { id: number };

/** The reply to a request, or to the open (id -1) once the store is migrated. */
export type ThreadReply = { id: number; rows?: unknown } | { id: number; error: ThreadError };

export interface ThreadError {
  name: string;
  message: string;
  hint?: string;
  code?: string;
}

export interface SqliteThreadData {
  path: string;
  options: SqliteDriverOptions;
}

/** The id of the reply to the open itself. */
export const OPENED = -1;

/** Errors cross the thread as data: a UserError (the store locked, too new) stays one. */
export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const user = error instanceof UserError ? { hint: error.hint, code: error.code } : {};
  return { name: error.name, message: error.message, ...user };
}
