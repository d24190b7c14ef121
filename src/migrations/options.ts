/**
 * The plain options every migration function takes. The CLI fills them from flags (`--dir`, `--database-url`) so the
 * commands work on a bare folder; the config's `migrations:` section maps onto the same fields.
 */
import type { RuleSeverity } from './lint/index.js';

export interface MigrationEvent {
  type: string;
  message: string;
  data?: unknown;
}

export interface MigrationJournal {
  record(event: MigrationEvent): void | Promise<void>;
}

export interface MigrateOptions {
  cwd: string;
  /** The tool that writes and applies the migrations; `sql` (default) means opsbook runs plain SQL files itself. */
  engine?: string;
  /** The engine's apply command, instead of its default (e.g. `cd backend && alembic upgrade head`). */
  command?: string;
  /** The variable the engine's command reads the database URL from. Default DATABASE_URL. */
  urlEnv?: string;
  /** Environment for engine commands. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Folder of ordered SQL files (`001_name.sql` or timestamped), relative to cwd. Default `migrations`. */
  dir?: string;
  /** Target database; the password is never printed. */
  databaseUrl?: string;
  /** Schema of opsbook's history tables. Default `opsbook_migrations`. */
  schema?: string;
  /** `lock_timeout` for every migration statement. Default 5000 ms; 0 disables it. */
  lockTimeoutMs?: number;
  /** `statement_timeout` for every migration statement. Default 1 hour; 0 disables it. */
  statementTimeoutMs?: number;
  /** How long an engine's command may run before it is stopped with everything it started. Default 1 hour. */
  commandTimeoutMs?: number;
  /** Retries of a statement (or a whole transactional file) that hit lock_timeout. Default 3. */
  lockRetries?: number;
  /** How long to wait for another runner holding the migration lock. Default 5 minutes. */
  advisoryLockTimeoutMs?: number;
  ruleSeverity?: RuleSeverity;
  /** Target server version for linting without a connection, e.g. `15` or `14.2`. */
  postgresVersion?: string | number;
  /** Where pg_dump backups go before destructive files, relative to cwd. Default `.opsbook/backups`. */
  backupsDir?: string;
  /** Files larger than this are refused before they are parsed. Default 10 MiB. */
  maxFileBytes?: number;
  /** Apply pending files older than the newest applied one instead of refusing. */
  allowOutOfOrder?: boolean;
  journal?: MigrationJournal;
  /** Progress lines for long runs (lock waits, statements of a long file). */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export const DEFAULTS = {
  dir: 'migrations',
  schema: 'opsbook_migrations',
  lockTimeoutMs: 5_000,
  statementTimeoutMs: 3_600_000,
  commandTimeoutMs: 3_600_000,
  lockRetries: 3,
  advisoryLockTimeoutMs: 300_000,
  backupsDir: '.opsbook/backups',
} as const;

/** The runner's timeouts as the linter sees them: a timeout of 0 means the file must set its own. */
export function runnerTimeouts(options: MigrateOptions): { lock: boolean; statement: boolean } {
  return {
    lock: (options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs) > 0,
    statement: (options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs) > 0,
  };
}

export async function recordEvent(options: MigrateOptions, event: MigrationEvent): Promise<void> {
  await options.journal?.record(event);
}
