/**
 * How the runner executes a file: one transaction for the whole file, or statement by statement when a statement
 * cannot run inside a transaction block (CREATE INDEX CONCURRENTLY and friends). The linter uses the same decision,
 * so it knows whether each file runs in a transaction instead of guessing like a file-local linter must.
 */
import { nodeAs } from './ast.js';
import type { ParsedSql, SqlStatement } from './parse-sql.js';

/** A file header that forces statement-by-statement execution, for statements the parser cannot judge. */
export const NO_TRANSACTION_HEADER = /^\s*--\s*opsbook:no-transaction\b/m;

export interface ExecutionMode {
  transactional: boolean;
  /** The statements the runner sends, in order: a BEGIN/COMMIT pair wrapping the whole file is dropped. */
  statements: SqlStatement[];
  /** Why the file runs outside a transaction, for the plan. */
  reason?: string;
}

export interface PgVersion {
  major: number;
  minor: number;
}

export function decideExecutionMode(parsed: ParsedSql, pg: PgVersion): ExecutionMode {
  const inner = unwrapTransaction(parsed.statements);
  // The plain search first: the multiline regex tries every line start of every file, and few files have the header.
  if (parsed.text.includes('opsbook:no-transaction') && NO_TRANSACTION_HEADER.test(parsed.text)) {
    return {
      transactional: false,
      statements: inner,
      reason: 'the file has an `-- opsbook:no-transaction` header',
    };
  }
  const blocker = inner.find((s) => !canRunInTransaction(s, pg));
  // A file that wraps a CONCURRENTLY statement in BEGIN/COMMIT keeps its wrapper, so the linter reports the conflict
  // instead of opsbook silently running it differently from how it reads.
  if (blocker) {
    return {
      transactional: false,
      statements: parsed.statements,
      reason: `${describe(blocker)} cannot run inside a transaction block`,
    };
  }
  return { transactional: true, statements: inner };
}

/**
 * Many hand-written migrations wrap themselves in BEGIN/COMMIT. The runner already does that (and records the
 * history row inside the same transaction), so an outermost pair is dropped rather than nested.
 */
export function unwrapTransaction(statements: SqlStatement[]): SqlStatement[] {
  const first = nodeAs(statements[0]?.node, 'TransactionStmt')?.kind;
  const last = nodeAs(statements[statements.length - 1]?.node, 'TransactionStmt')?.kind;
  const inner = statements.slice(1, -1);
  const innerHasTransactionControl = inner.some((s) => s.kind === 'TransactionStmt');
  if (
    (first === 'TRANS_STMT_BEGIN' || first === 'TRANS_STMT_START') &&
    last === 'TRANS_STMT_COMMIT' &&
    !innerHasTransactionControl
  ) {
    return inner;
  }
  return statements;
}

export function canRunInTransaction(stmt: SqlStatement, pg: PgVersion): boolean {
  const n = stmt.node;
  if (nodeAs(n, 'IndexStmt')?.concurrent) return false;
  if (nodeAs(n, 'DropStmt')?.concurrent) return false;
  if (isConcurrentReindex(stmt)) return false;
  const alter = nodeAs(n, 'AlterTableStmt');
  if (alter?.cmds?.some((c) => nodeAs(nodeAs(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.concurrent))
    return false;
  if (nodeAs(n, 'VacuumStmt')?.is_vacuumcmd) return false;
  // ALTER TYPE ... ADD VALUE became transaction-safe in PostgreSQL 12.
  if (nodeAs(n, 'AlterEnumStmt')?.newVal && pg.major < 12) return false;
  return !NEVER_IN_TRANSACTION.has(stmt.kind);
}

const NEVER_IN_TRANSACTION = new Set([
  'CreatedbStmt',
  'DropdbStmt',
  'CreateTableSpaceStmt',
  'DropTableSpaceStmt',
  'AlterSystemStmt',
  'CreateSubscriptionStmt',
  'DropSubscriptionStmt',
]);

export function isConcurrentReindex(stmt: SqlStatement): boolean {
  const params = nodeAs(stmt.node, 'ReindexStmt')?.params ?? [];
  return params.some((p) => nodeAs(p, 'DefElem')?.defname === 'concurrently');
}

function describe(stmt: SqlStatement): string {
  const words = stmt.text.replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' ');
  return `statement ${stmt.index + 1} (${words} ...)`;
}
