/**
 * A migration engine: the tool that writes and applies a team's migrations (Prisma, Alembic, Rails, ...). opsbook reads
 * its files in their real layout and its own history table, lints the SQL it can see, and applies through the
 * engine's command, so nothing the engine recorded is ever applied twice.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { DbClient } from '../db.js';

export type EngineName =
  | 'prisma'
  | 'supabase'
  | 'alembic'
  | 'django'
  | 'rails'
  | 'ecto'
  | 'knex'
  | 'drizzle'
  | 'node-pg-migrate'
  | 'other';

export interface EngineMigration {
  /** The key under which the engine records it: Prisma's folder name, Alembic's revision, Django's `app.name`. */
  id: string;
  /** Digits that order it, or the id when the engine has none. */
  version: string;
  name: string;
  path: string;
  /** Relative to cwd, for messages. */
  display: string;
  /** The SQL it runs, when the migration is a SQL file. */
  sql?: string;
  /** What the engine stores to detect edits (Prisma, drizzle: sha256 of the file). */
  checksum?: string;
  /** Alembic: the revisions this one follows. */
  parents?: string[];
}

export interface EngineHistoryEntry {
  id: string;
  state: 'applied' | 'failed' | 'rolled-back';
  appliedAt?: string;
  checksum?: string;
}

export interface EngineHistory {
  table: string;
  entries: EngineHistoryEntry[];
  diagnostics?: Diagnostic[];
}

export interface ListedMigrations {
  migrations: EngineMigration[];
  diagnostics: Diagnostic[];
}

export interface Engine {
  name: EngineName;
  /** The layout in words, for "no files found" messages. */
  layout: string;
  /** Where the files are when the config does not say. */
  defaultDir: string;
  /**
   * Set when the engine's own command ignores history rows whose file was deleted (teams squash old migrations away):
   * such a row is then a warning with this hint, not an error that blocks every deploy.
   */
  deletedFilesIgnored?: string;
  /** What applies them when the config gives no `command`. */
  defaultCommand?: string;
  /** Whether a recorded checksum still matches the file, by the engine's own rule; default: equal strings. */
  checksumMatches?(recorded: string, migration: EngineMigration): boolean;
  /** The folder the command runs in: where the engine's own config lives. */
  root(dirAbs: string, cwd: string): string;
  list(cwd: string, dir: string, maxFileBytes?: number): Promise<ListedMigrations>;
  /** Undefined when the engine's history table does not exist (nothing applied yet). */
  readHistory(client: DbClient, migrations: readonly EngineMigration[]): Promise<EngineHistory | undefined>;
  /** How to get the SQL of pending migrations; without it the engine's changes cannot be linted, and `why` says so. */
  sqlSource:
    | {
        kind: 'files';
        /** Why the migrations that are code (not .sql) cannot be linted, and what to do instead. */
        code?: string;
      }
    | {
        kind: 'command';
        /** Set when the command needs a connection to the database: why, and what to do without one. */
        needsDatabase?: string;
        /** Shell commands whose output is the SQL; `base` is the config's apply command, to borrow its prefix. */
        command(context: {
          pending: readonly EngineMigration[];
          applied: readonly string[];
          all: readonly EngineMigration[];
          base?: string;
        }): string[];
        /**
         * Cuts one command's output into each migration's SQL (padded so line numbers stay those of the output), so
         * each is linted on its own like a file: a table created by an older migration is not "new" in a later one.
         */
        split?(output: string): { id: string; text: string }[];
        /** The commands print one migration each, in the order of `pending` (sqlmigrate): the SQL is that migration's. */
        perMigration?: boolean;
      }
    | { kind: 'none'; why: string };
}
