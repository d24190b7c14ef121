/**
 * Transaction control inside a migration. opsbook already wraps each file in a transaction (or runs it statement by
 * statement), and drops one BEGIN/COMMIT pair around the whole file; any other BEGIN/COMMIT/ROLLBACK would end the
 * runner's transaction early or nest inside it.
 */
import { nodeAs } from '../../ast.js';
import type { Rule } from '../context.js';

const CONTROL = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK']);

export const transactionNesting: Rule = {
  name: 'transaction-nesting',
  kinds: ['TransactionStmt'],
  severity: 'error',
  check(stmt, ctx) {
    const kind = nodeAs(stmt.node, 'TransactionStmt')?.kind;
    if (!kind || !CONTROL.has(kind)) return undefined;
    const begin = kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START';
    // In a statement-by-statement file one explicit BEGIN ... COMMIT block is legal; nesting never is.
    if (!ctx.transactional && begin !== ctx.explicitTransaction) return undefined;
    return {
      message: ctx.transactional
        ? 'opsbook runs this file in one transaction; this statement would nest in it or end it early'
        : begin
          ? 'BEGIN inside a transaction that is already open'
          : 'COMMIT/ROLLBACK without an open transaction',
      hint: 'remove the statement, or split the file: one migration file is one transaction',
    };
  },
};

export const banUncommittedTransaction: Rule = {
  name: 'ban-uncommitted-transaction',
  kinds: ['TransactionStmt'],
  severity: 'error',
  check(stmt, ctx) {
    const kind = nodeAs(stmt.node, 'TransactionStmt')?.kind;
    if (kind !== 'TRANS_STMT_BEGIN' && kind !== 'TRANS_STMT_START') return undefined;
    const closed = ctx.parsed.statements.slice(stmt.index + 1).some((s) => {
      const k = nodeAs(s.node, 'TransactionStmt')?.kind;
      return k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK';
    });
    if (closed) return undefined;
    return {
      message: 'BEGIN without a matching COMMIT: the work is rolled back when the session ends',
      hint: 'add COMMIT at the end, or remove the BEGIN and let opsbook wrap the file',
    };
  },
};

export const transactionRules: Rule[] = [transactionNesting, banUncommittedTransaction];
