/** Constraints added to existing tables: validation scans and unique index builds under strong locks. */
import type { AlterTableCmd, Constraint, Node } from 'libpg-query';
import { alterTableCommands, columnConstraints, nodeAs } from '../../ast.js';
import { type FileContext, type Finding, isNewTable, type Rule } from '../context.js';

type Added = { cmd: AlterTableCmd; con: Constraint; onColumn: boolean };
/**
 * The last statement asked about and its answer: the engine runs every rule on one statement before the next (and
 * records new tables only after), so one entry answers the four rules that ask.
 */
let last: { node: Node; ctx: FileContext; added: Added[] } | undefined;

/** Constraints an ALTER TABLE of an existing table adds, either as a table constraint or on an added column. */
function addedConstraints(ctx: FileContext, node: Node): Added[] {
  if (last?.node === node && last.ctx === ctx) return last.added;
  const alter = alterTableCommands(node);
  const added: Added[] = [];
  if (alter && !isNewTable(ctx, alter.table)) {
    for (const cmd of alter.cmds) {
      const con = cmd.subtype === 'AT_AddConstraint' ? nodeAs(cmd.def, 'Constraint') : undefined;
      if (con) added.push({ cmd, con, onColumn: false });
      else if (cmd.subtype === 'AT_AddColumn')
        for (const c of columnConstraints(nodeAs(cmd.def, 'ColumnDef')))
          added.push({ cmd, con: c, onColumn: true });
    }
  }
  last = { node, ctx, added };
  return added;
}

export const addingForeignKeyConstraint: Rule = {
  name: 'adding-foreign-key-constraint',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    addedConstraints(ctx, stmt.node).flatMap(({ con }): Finding[] => {
      if (con.contype !== 'CONSTR_FOREIGN' || con.skip_validation) return [];
      return [
        {
          location: con.location,
          message: `adding a foreign key to "${con.pktable?.relname}" scans the table and blocks writes on both tables (SHARE ROW EXCLUSIVE)`,
          hint: 'add the constraint with NOT VALID, then VALIDATE CONSTRAINT in a later migration (it only takes SHARE UPDATE EXCLUSIVE)',
        },
      ];
    }),
};

export const constraintMissingNotValid: Rule = {
  name: 'constraint-missing-not-valid',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check(stmt, ctx) {
    const findings = addedConstraints(ctx, stmt.node).flatMap(({ con, onColumn }): Finding[] => {
      // NOT VALID exists only for CHECK and FOREIGN KEY table constraints; UNIQUE and PRIMARY KEY have their own rules.
      if (
        onColumn ||
        con.skip_validation ||
        (con.contype !== 'CONSTR_CHECK' && con.contype !== 'CONSTR_FOREIGN')
      )
        return [];
      return [
        {
          location: con.location,
          message:
            'a new constraint without NOT VALID scans the whole table while holding a lock that blocks writes',
          hint: 'add it NOT VALID, then VALIDATE CONSTRAINT in a separate migration',
        },
      ];
    });
    const alter = alterTableCommands(stmt.node);
    for (const cmd of alter?.cmds ?? []) {
      // Validating in the transaction that added it keeps the ADD's ACCESS EXCLUSIVE lock during the scan.
      if (
        cmd.subtype === 'AT_ValidateConstraint' &&
        ctx.inTransaction &&
        ctx.notValidInTransaction.has(cmd.name ?? '')
      ) {
        findings.push({
          message: `VALIDATE CONSTRAINT "${cmd.name}" runs in the same transaction that added it NOT VALID, so the scan still blocks reads and writes`,
          hint: 'move the VALIDATE CONSTRAINT into a later migration file',
        });
      }
    }
    return findings;
  },
};

export const disallowedUniqueConstraint: Rule = {
  name: 'disallowed-unique-constraint',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    addedConstraints(ctx, stmt.node).flatMap(({ con }): Finding[] => {
      if (con.contype !== 'CONSTR_UNIQUE' || con.indexname) return [];
      return [
        {
          location: con.location,
          message:
            'adding a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait',
          hint: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX',
        },
      ];
    }),
};

export const addingPrimaryKey: Rule = {
  name: 'adding-serial-primary-key-field',
  kinds: ['AlterTableStmt'],
  severity: 'error',
  check: (stmt, ctx) =>
    addedConstraints(ctx, stmt.node).flatMap(({ con }): Finding[] => {
      if (con.contype !== 'CONSTR_PRIMARY' || con.indexname) return [];
      return [
        {
          location: con.location,
          message:
            'adding a PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait',
          hint: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX',
        },
      ];
    }),
};

export const constraintRules: Rule[] = [
  addingForeignKeyConstraint,
  constraintMissingNotValid,
  disallowedUniqueConstraint,
  addingPrimaryKey,
];
