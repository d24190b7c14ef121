/** Column changes that rewrite or scan the table under ACCESS EXCLUSIVE, or break code still running. */
import type { AlterTableCmd, ColumnDef, Node } from 'libpg-query';
import { alterTableCommands, columnConstraints, nodeAs, typeNameOf } from '../../ast.js';
import { type FileContext, type Finding, isNewTable, type Rule } from '../context.js';
import { isVolatileExpression } from '../volatile.js';

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

type Alter = ReturnType<typeof alterTableCommands>;
/** The last statement asked about: five rules ask in a row (new tables are recorded only after all of them). */
let last: { node: Node; ctx: FileContext; alter: Alter } | undefined;

/** Runs `check` on each ALTER TABLE sub-command of a table that existed before this run. */
function onExistingTable(
  ctx: FileContext,
  node: Node,
  check: (cmd: AlterTableCmd, table: string) => Finding | undefined,
): Finding[] {
  if (last?.node !== node || last.ctx !== ctx) {
    const alter = alterTableCommands(node);
    last = { node, ctx, alter: alter && !isNewTable(ctx, alter.table) ? alter : undefined };
  }
  const { alter } = last;
  if (!alter) return [];
  const found: Finding[] = [];
  for (const cmd of alter.cmds) {
    const f = check(cmd, alter.table);
    if (f) found.push(f);
  }
  return found;
}

function addedColumn(cmd: AlterTableCmd): ColumnDef | undefined {
  return cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined;
}

export const addingRequiredField: Rule = {
  name: 'adding-required-field',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    onExistingTable(ctx, stmt.node, (cmd) => {
      const col = addedColumn(cmd);
      const kinds = columnConstraints(col).map((c) => c.contype);
      const notNull = col?.is_not_null || kinds.includes('CONSTR_NOTNULL');
      const filled = ['CONSTR_DEFAULT', 'CONSTR_GENERATED', 'CONSTR_IDENTITY'].some((k) =>
        kinds.includes(k as never),
      );
      if (!col || !notNull || filled || SERIAL_TYPES.has(typeNameOf(col.typeName))) return undefined;
      return {
        location: col.location,
        message: `adding NOT NULL column "${col.colname}" without a default fails on a table with rows, and running code that does not set it breaks`,
        hint: 'add the column nullable (or with a non-volatile DEFAULT), backfill in batches, then enforce NOT NULL',
      };
    }),
};

export const addingFieldWithDefault: Rule = {
  name: 'adding-field-with-default',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    onExistingTable(ctx, stmt.node, (cmd) => {
      const col = addedColumn(cmd);
      if (!col) return undefined;
      const cons = columnConstraints(col);
      const def = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      const generated = cons.find((c) => c.contype === 'CONSTR_GENERATED');
      const rewrites = rewriteReason(col, ctx.run.pg.major);
      if (!rewrites) return undefined;
      return {
        location: (generated ?? def)?.location ?? col.location,
        message: `adding "${col.colname}" with ${rewrites} rewrites the whole table under an ACCESS EXCLUSIVE lock`,
        hint: 'add the column without the default, set the default in a separate statement, then backfill existing rows in batches',
      };
    }),
};

/** Why adding this column rewrites the table, if it does. */
function rewriteReason(col: ColumnDef, pgMajor: number): string | undefined {
  const cons = columnConstraints(col);
  if (cons.some((c) => c.contype === 'CONSTR_GENERATED')) return 'a stored generated column';
  if (SERIAL_TYPES.has(typeNameOf(col.typeName))) return 'a serial type (a nextval() default per row)';
  const def = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
  if (!def) return undefined;
  if (pgMajor < 11) return 'a DEFAULT before PostgreSQL 11';
  return isVolatileExpression(def.raw_expr) ? 'a volatile DEFAULT' : undefined;
}

export const changingColumnType: Rule = {
  name: 'changing-column-type',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    onExistingTable(ctx, stmt.node, (cmd) => {
      if (cmd.subtype !== 'AT_AlterColumnType') return undefined;
      return {
        location: nodeAs(cmd.def, 'ColumnDef')?.location,
        message: `changing the type of "${cmd.name}" usually rewrites the table and its indexes under ACCESS EXCLUSIVE`,
        hint: 'add a new column, write to both, backfill, switch reads, then drop the old one (varchar to text and widening varchar are safe)',
      };
    }),
};

export const addingNotNullableField: Rule = {
  name: 'adding-not-nullable-field',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    onExistingTable(ctx, stmt.node, (cmd, table) => {
      if (cmd.subtype !== 'AT_SetNotNull') return undefined;
      // PG 12+ skips the scan when a validated CHECK (col IS NOT NULL) already proves it.
      if (ctx.run.pg.major >= 12 && ctx.run.validatedNotNull.has(`${table}.${cmd.name}`)) return undefined;
      return {
        message: `SET NOT NULL on "${cmd.name}" scans the whole table under an ACCESS EXCLUSIVE lock`,
        hint:
          ctx.run.pg.major >= 12
            ? `add CHECK ("${cmd.name}" IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL and drop the check`
            : 'before PostgreSQL 12 there is no scan-free way: keep a validated CHECK (col IS NOT NULL) NOT VALID constraint instead',
      };
    }),
};

export const banDropColumn: Rule = {
  name: 'ban-drop-column',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    onExistingTable(ctx, stmt.node, (cmd) => {
      if (cmd.subtype !== 'AT_DropColumn') return undefined;
      return {
        message: `dropping column "${cmd.name}" breaks running code that still reads or writes it, and the data is gone`,
        hint: 'stop using the column in the app and deploy first; then drop it (opsbook backs the table up before this file)',
      };
    }),
};

export const renamingColumn: Rule = {
  name: 'renaming-column',
  kinds: ['RenameStmt'],
  severity: 'error',
  check(stmt) {
    const rename = nodeAs(stmt.node, 'RenameStmt');
    if (rename?.renameType !== 'OBJECT_COLUMN') return undefined;
    return {
      message: `renaming column "${rename.subname}" to "${rename.newname}" breaks running code that uses the old name`,
      hint: 'add the new column, write to both, backfill, move reads, then drop the old column',
    };
  },
};

export const columnRules: Rule[] = [
  addingRequiredField,
  addingFieldWithDefault,
  changingColumnType,
  addingNotNullableField,
  banDropColumn,
  renamingColumn,
];
