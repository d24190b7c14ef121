/**
 * What the linter knows beyond the statement in front of it. This is the context squawk lacks: which tables the
 * same run created (so they are empty and cheap to change), whether the file runs in a transaction (decided by the
 * runner, not assumed), which timeouts the runner sets, and the target Postgres version.
 */
import type { Severity } from '../../diagnostics/index.js';
import { sameRelation } from '../ast.js';
import type { PgVersion } from '../execution-mode.js';
import type { ParsedSql, SqlStatement } from '../parse-sql.js';

export interface Finding {
  /** Parser byte offset of the node to point at; the statement start when absent. */
  location?: number;
  message: string;
  /** The safe alternative. */
  hint: string;
}

export interface Rule {
  /** Stable name, reported as `migration/<name>`; mirrors squawk's name where the semantics match. */
  name: string;
  severity: Exclude<Severity, 'info'>;
  /**
   * The statement kinds (`IndexStmt`, ...) the rule can find something in; absent: every statement. The engine calls
   * a rule only on these: most rules look at one or two kinds, and calling all of them on every statement was most of
   * a lint's time (kinds.test.ts checks that no rule finds anything outside its kinds).
   */
  kinds?: readonly string[];
  check(stmt: SqlStatement, ctx: FileContext): Finding[] | Finding | undefined;
}

/** State shared by every file of one run (`migrate up` of the pending files, or one `lint` invocation per file). */
export interface RunContext {
  pg: PgVersion;
  /** Timeouts the runner sets before each statement, so the file need not. */
  runnerTimeouts: { lock: boolean; statement: boolean };
  /** Tables created earlier in this run: empty, so indexes and constraints on them lock nothing that matters. */
  newTables: string[];
  /** Indexes created earlier in this run. */
  newIndexes: Set<string>;
  /** `table.column` pairs with a validated `CHECK (column IS NOT NULL)`; PG 12+ then skips the SET NOT NULL scan. */
  notNullChecks: Map<string, string>;
  validatedNotNull: Set<string>;
}

export interface FileContext {
  run: RunContext;
  parsed: ParsedSql;
  /** Whether the runner wraps the file in one transaction. */
  transactional: boolean;
  /** Whether the current statement runs inside a transaction (the runner's or an explicit BEGIN). */
  inTransaction: boolean;
  explicitTransaction: boolean;
  lockTimeoutSet: boolean;
  statementTimeoutSet: boolean;
  /** Constraints added NOT VALID in the current transaction, by name. */
  notValidInTransaction: Set<string>;
}

export function createRunContext(options: {
  pg: PgVersion;
  runnerTimeouts?: { lock: boolean; statement: boolean };
}): RunContext {
  return {
    pg: options.pg,
    runnerTimeouts: options.runnerTimeouts ?? { lock: true, statement: true },
    newTables: [],
    newIndexes: new Set(),
    notNullChecks: new Map(),
    validatedNotNull: new Set(),
  };
}

export function isNewTable(ctx: FileContext, key: string): boolean {
  return key !== '' && ctx.run.newTables.some((t) => sameRelation(t, key));
}
