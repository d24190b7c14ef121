/**
 * Re-runnable statements. opsbook records progress after every statement and runs everything that can run in a
 * transaction inside one, so only the statements that cannot (CONCURRENTLY) can be half done when a run dies;
 * those are the ones that need IF [NOT] EXISTS. squawk, not knowing how the file runs, asks it of every DDL statement.
 */
import { nodeAs } from '../../ast.js';
import { canRunInTransaction } from '../../execution-mode.js';
import type { Rule } from '../context.js';

export const preferRobustStmts: Rule = {
  name: 'prefer-robust-stmts',
  kinds: ['IndexStmt', 'DropStmt'],
  severity: 'warning',
  check(stmt, ctx) {
    if (ctx.inTransaction || canRunInTransaction(stmt, ctx.run.pg)) return undefined;
    const index = nodeAs(stmt.node, 'IndexStmt');
    const drop = nodeAs(stmt.node, 'DropStmt');
    // An unnamed index cannot take IF NOT EXISTS; the runner's resume handles it by dropping INVALID leftovers.
    const missing = index
      ? index.idxname && !index.if_not_exists && 'IF NOT EXISTS'
      : drop && !drop.missing_ok && 'IF EXISTS';
    if (!missing) return undefined;
    return {
      message: `missing ${missing}: this statement runs outside a transaction, so a run interrupted right after it cannot simply repeat it`,
      hint: `add ${missing}`,
    };
  },
};

export const robustRules: Rule[] = [preferRobustStmts];
