/** Updates the lint context after each statement: what the run created, which timeouts are set, transaction state. */
import type { Constraint } from 'libpg-query';
import { nodeAs, relationKey, stringValues } from '../ast.js';
import type { SqlStatement } from '../parse-sql.js';
import type { FileContext } from './context.js';

export function trackStatement(stmt: SqlStatement, ctx: FileContext): void {
  const n = stmt.node;
  const create = nodeAs(n, 'CreateStmt');
  if (create) ctx.run.newTables.push(relationKey(create.relation));
  const createAs = nodeAs(n, 'CreateTableAsStmt');
  if (createAs && createAs.objtype !== 'OBJECT_MATVIEW')
    ctx.run.newTables.push(relationKey(createAs.into?.rel));
  const index = nodeAs(n, 'IndexStmt');
  if (index?.idxname) ctx.run.newIndexes.add(index.idxname);

  const set = nodeAs(n, 'VariableSetStmt');
  if (set?.name === 'lock_timeout') ctx.lockTimeoutSet = set.kind === 'VAR_SET_VALUE';
  if (set?.name === 'statement_timeout') ctx.statementTimeoutSet = set.kind === 'VAR_SET_VALUE';

  const tx = nodeAs(n, 'TransactionStmt')?.kind;
  if (tx === 'TRANS_STMT_BEGIN' || tx === 'TRANS_STMT_START') {
    if (!ctx.inTransaction) ctx.notValidInTransaction.clear();
    ctx.explicitTransaction = true;
    ctx.inTransaction = true;
  } else if (tx === 'TRANS_STMT_COMMIT' || tx === 'TRANS_STMT_ROLLBACK') {
    ctx.explicitTransaction = false;
    ctx.inTransaction = ctx.transactional;
    ctx.notValidInTransaction.clear();
  }

  const alter = nodeAs(n, 'AlterTableStmt');
  const table = relationKey(alter?.relation);
  for (const c of alter?.cmds ?? []) {
    const cmd = nodeAs(c, 'AlterTableCmd');
    const con = nodeAs(cmd?.def, 'Constraint');
    if (cmd?.subtype === 'AT_AddConstraint' && con?.conname) {
      if (con.skip_validation) ctx.notValidInTransaction.add(con.conname);
      const column = notNullCheckColumn(con);
      if (column) {
        ctx.run.notNullChecks.set(con.conname, `${table}.${column}`);
        if (!con.skip_validation) ctx.run.validatedNotNull.add(`${table}.${column}`);
      }
    }
    if (cmd?.subtype === 'AT_ValidateConstraint' && cmd.name) {
      const target = ctx.run.notNullChecks.get(cmd.name);
      if (target) ctx.run.validatedNotNull.add(target);
    }
  }
}

/** The column of a `CHECK (column IS NOT NULL)` constraint. */
function notNullCheckColumn(con: Constraint): string | undefined {
  if (con.contype !== 'CONSTR_CHECK') return undefined;
  const test = nodeAs(con.raw_expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  return stringValues(nodeAs(test.arg, 'ColumnRef')?.fields).at(-1);
}
