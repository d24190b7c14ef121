/**
 * The SQLite store on its own thread, for `serve`. node-sqlite3-wasm is synchronous: on the main thread every
 * statement, page write and fsync of a commit holds the event loop, and a monitor engine writing 2,000 checks/s
 * spent a third of its time there, so checks started seconds late. Here one worker thread owns the connection
 * (opened and migrated there), and the main thread sends it statements and transactions as messages. Commands
 * that run once keep the in-thread driver: a thread costs its start-up.
 */
import type { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { startWorker } from '../workers/index.js';
import type { Row, SqlParam, SqlStatement } from './sql-executor.js';
import type { SqliteDriverOptions } from './sqlite-driver.js';
import {
  OPENED,
  type SqliteThreadData,
  type ThreadAsk,
  type ThreadError,
  type ThreadReply,
} from './sqlite-thread-protocol.js';

export interface SqliteThread {
  all(sql: string, params?: SqlParam[]): Promise<Row[]>;
  /** The statements in one transaction (all or none); each one's rows. */
  batch(statements: readonly SqlStatement[]): Promise<Row[][]>;
  close(): Promise<void>;
}

/** Starts the thread and resolves once it has opened and migrated the store (rejects as opening would). */
export async function openSqliteThread(path: string, options: SqliteDriverOptions): Promise<SqliteThread> {
  const data: SqliteThreadData = { path, options };
  const worker = startWorker(new URL('./sqlite-worker.js', import.meta.url), data);
  const waiting = new Map<number, { resolve(rows: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let stopped: Error | undefined;
  const settle = (reply: ThreadReply) => {
    const waiter = waiting.get(reply.id);
    if (!waiter) return;
    waiting.delete(reply.id);
    // Only requests in flight keep the process alive: an idle store must not, as the in-thread one does not.
    if (!waiting.size) worker.unref();
    if ('error' in reply) waiter.reject(toError(reply.error));
    else waiter.resolve(reply.rows);
  };
  const fail = (error: Error) => {
    stopped ??= error;
    for (const [id, waiter] of waiting) {
      waiting.delete(id);
      waiter.reject(error);
    }
  };
  worker.on('message', settle);
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the SQLite store's thread exited (code ${code})`)));
  const reply = <T>(id: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (stopped) return reject(stopped);
      if (!waiting.size) worker.ref();
      waiting.set(id, { resolve: resolve as (rows: unknown) => void, reject });
    });
  const send = <T>(request: ThreadAsk): Promise<T> => {
    const id = nextId++;
    const answer = reply<T>(id);
    if (!stopped) worker.postMessage({ ...request, id });
    return answer;
  };
  try {
    await reply(OPENED);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return threadHandle(worker, send);
}

function threadHandle(worker: Worker, send: <T>(request: ThreadAsk) => Promise<T>): SqliteThread {
  let closing: Promise<void> | undefined;
  return {
    all: (sql, params = []) => send<Row[]>({ op: 'all', sql, params }),
    batch: (statements) => send<Row[][]>({ op: 'batch', statements }),
    close: () => {
      closing ??= send<void>({ op: 'close' })
        .catch(() => {})
        .then(() => worker.terminate())
        .then(() => {});
      return closing;
    },
  };
}

function toError(e: ThreadError): Error {
  if (e.name === 'UserError') return new UserError(e.message, e.hint, e.code);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}
