/**
 * Failures of the machine or of a service opsbook depends on, not of opsbook: a full disk, a missing permission,
 * a database connection that dropped. main.ts reports them with their own message and exit code 5, never as a bug.
 */

export interface EnvironmentProblem {
  code: string;
  message: string;
  hint: string;
}

interface Described {
  code?: unknown;
  errno?: unknown;
  path?: unknown;
  message?: unknown;
  cause?: unknown;
}

const FILE_PROBLEMS: Record<string, (where: string) => Omit<EnvironmentProblem, 'code'>> = {
  ENOSPC: (where) => ({
    message: `no space left on the device${where}`,
    hint: 'free some disk space (df -h shows where), then run the command again',
  }),
  EDQUOT: (where) => ({
    message: `disk quota exceeded${where}`,
    hint: 'free some space within your quota, then run the command again',
  }),
  EROFS: (where) => ({
    message: `the file system is read-only${where}`,
    hint: 'run where opsbook may write (.opsbook/ lives next to the config), or pass --cwd',
  }),
  EACCES: (where) => ({
    message: `permission denied${where}`,
    hint: 'check the owner and mode of that path, or run as the user that owns the project',
  }),
  EPERM: (where) => ({
    message: `operation not permitted${where}`,
    hint: 'check the owner and mode of that path, or run as the user that owns the project',
  }),
  EMFILE: () => ({
    message: 'too many open files',
    hint: 'raise the limit (ulimit -n 4096) or close other programs, then run again',
  }),
  ENFILE: () => ({
    message: 'the system ran out of file handles',
    hint: 'close other programs, then run again',
  }),
};

/**
 * The store's driver (node-sqlite3-wasm) throws a SQLite3Error with SQLite's own message and no code: the messages
 * of sqlite3_errstr() for the result codes below. Without this, a damaged or full state store was "a bug" (exit 70).
 */
const SQLITE_MESSAGES: [RegExp, string][] = [
  [/^database or disk is full/, 'SQLITE_FULL'],
  [/^attempt to write a readonly database/, 'SQLITE_READONLY'],
  [/^unable to open database file/, 'SQLITE_CANTOPEN'],
  [/^file is not a database/, 'SQLITE_NOTADB'],
  [/^database disk image is malformed/, 'SQLITE_CORRUPT'],
  [/^disk I\/O error/, 'SQLITE_IOERR'],
  [/^database (table )?is locked/, 'SQLITE_BUSY'],
];

/** The SQLite result code of a driver error: on `code` (better-sqlite3), or read from the message (node-sqlite3-wasm). */
function sqliteCode(name: unknown, code: unknown, text: string): string | undefined {
  if (typeof code === 'string') return code;
  if (name !== 'SQLite3Error') return undefined;
  return SQLITE_MESSAGES.find(([pattern]) => pattern.test(text))?.[1];
}

/** SQLite result codes, and what they mean for the user. */
const SQLITE_PROBLEMS: [RegExp, Omit<EnvironmentProblem, 'code'>][] = [
  [
    /^SQLITE_FULL/,
    {
      message: 'the state store is full: no space left on the device',
      hint: 'free some disk space, then run again',
    },
  ],
  [
    /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/,
    {
      message: 'the state store under .opsbook/ cannot be written',
      hint: 'check the permissions of .opsbook/ and its state.sqlite',
    },
  ],
  [
    /^SQLITE_(IOERR|CORRUPT|NOTADB)/,
    {
      message: 'the state store under .opsbook/ could not be read or written (I/O error or a damaged file)',
      hint: 'check the disk; a damaged .opsbook/state.sqlite can be moved aside (history is lost)',
    },
  ],
  [
    /^SQLITE_(BUSY|LOCKED)/,
    {
      message: 'the state store is locked by another process for too long',
      hint: 'wait for the other opsbook command to finish, then run again',
    },
  ],
];

/** libpq's connection-loss codes (class 08, admin shutdown 57P01-3) and the driver's own words for it. */
const PG_LOST_CODES = new Set(['08000', '08003', '08006', '08001', '08004', '57P01', '57P02', '57P03']);
const PG_LOST_MESSAGE =
  /Connection terminated|terminating connection|server closed the connection|Client has encountered a connection error|connection .*(lost|reset)/i;
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What went wrong around opsbook, or undefined when the error is opsbook's own (a bug). */
export function environmentProblem(error: unknown): EnvironmentProblem | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, path, message, cause } = e as Described;
    const text = typeof message === 'string' ? message : '';
    const sqliteResult = sqliteCode((e as { name?: unknown }).name, code, text);
    const sqlite = sqliteResult && SQLITE_PROBLEMS.find(([pattern]) => pattern.test(sqliteResult));
    if (sqlite) return { code: 'environment/state-store', ...sqlite[1] };
    if (typeof code === 'string') {
      const file = FILE_PROBLEMS[code];
      if (file)
        return {
          code: `environment/${code.toLowerCase()}`,
          ...file(typeof path === 'string' ? ` (${path})` : ''),
        };
      if (
        PG_LOST_CODES.has(code) ||
        (NETWORK_CODES.has(code) && /postgres|pg|database/i.test(String((e as Error).stack)))
      )
        return databaseLost(text);
      // query_canceled: a statement_timeout on the role or database, or someone's pg_cancel_backend.
      if (code === '57014' && 'severity' in e)
        return {
          code: 'environment/database-query-cancelled',
          message: `the database cancelled a query: ${text}`,
          hint: 'check the statement_timeout set for the role and database (SHOW statement_timeout), raise it for the role that runs opsbook, and run again',
        };
      // read_only_sql_transaction: the URL names a replica (hot standby) or a session that may not write.
      if (code === '25006' && 'severity' in e)
        return {
          code: 'environment/database-read-only',
          message: `the database is read-only: ${text}`,
          hint: 'point the database URL at the primary, not a replica, and check default_transaction_read_only for its role and database',
        };
      // lock_not_available: a lock_timeout ran out while another session held a lock opsbook's own query needed.
      if (code === '55P03' && 'severity' in e)
        return {
          code: 'environment/database-lock-busy',
          message: `the database did not grant a lock in time: ${text}`,
          hint: 'another session holds a lock on what opsbook reads or writes (see pg_stat_activity and pg_locks); wait for it to finish or end it, then run again',
        };
      // Class 53, insufficient resources: the server's connection limit, memory or disk, not a mistake of the run.
      if (code.startsWith('53') && 'severity' in e)
        return {
          code: 'environment/database-resources',
          message: `the database server is out of a resource: ${text}`,
          hint:
            code === '53300'
              ? "the server or the role has no connection left: close idle ones (pg_stat_activity), use the platform's pooler, or raise the limit, then run again"
              : 'free disk or memory on the database server (or move to a larger plan), then run again',
        };
      // insufficient_privilege from the server (a DatabaseError carries its severity): the role needs a grant.
      if (code === '42501' && 'severity' in e)
        return {
          code: 'environment/database-privilege',
          message: `the database user lacks a privilege opsbook needs: ${text}`,
          hint: 'GRANT it to the role in the database URL (e.g. USAGE on the schema and SELECT on the table named), or use a role that has it',
        };
    }
    if (PG_LOST_MESSAGE.test(text)) return databaseLost(text);
    e = cause;
  }
  return undefined;
}

function databaseLost(detail: string): EnvironmentProblem {
  return {
    code: 'environment/database-connection-lost',
    message: `the database connection was lost${detail ? `: ${detail.split('\n')[0]}` : ''}`,
    hint: 'check that the PostgreSQL server is up and reachable (it may have restarted), then run again; runs resume with --resume',
  };
}
