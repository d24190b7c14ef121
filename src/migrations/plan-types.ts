/** What a migration plan holds: its own module so the planners it is built from can name it without importing plan.ts. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { StatusEntry } from './compare.js';
import type { DestructiveTarget } from './destructive.js';
import type { PgVersion } from './execution-mode.js';
import type { MigrationFile } from './files.js';
import type { SqlStatement } from './parse-sql.js';

export interface PlannedMigration {
  version: string;
  name: string;
  file: MigrationFile;
  resumeFrom: number;
  transactional: boolean;
  /** Why the file runs statement by statement. */
  reason?: string;
  statements: SqlStatement[];
  destructive: DestructiveTarget[];
  /** An engine migration whose SQL opsbook could not see (Ruby, Elixir, JavaScript): its statements are unknown, not none. */
  sqlUnseen?: boolean;
}

export interface MigrationPlan {
  /** The database URL with its password masked. */
  target: string;
  schema: string;
  pg: PgVersion;
  entries: StatusEntry[];
  pending: PlannedMigration[];
  diagnostics: Diagnostic[];
  /** Set when another tool applies the migrations: its name, history table and the command that applies them. */
  engine?: { name: string; table?: string; command?: string };
}
