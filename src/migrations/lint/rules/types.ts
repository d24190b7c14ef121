/** Schema preferences: column types that bite later (overflow, padding, lost time zones, costly resizes). */
import type { ColumnDef, TypeName } from 'libpg-query';
import { alterTableCommands, nodeAs, typeNameOf } from '../../ast.js';
import type { SqlStatement } from '../../parse-sql.js';
import type { Finding, Rule } from '../context.js';

interface DeclaredType {
  column: string;
  type: TypeName;
  /** typeNameOf(type), worked out once for the six rules. */
  name: string;
}

const NONE: DeclaredType[] = [];
/**
 * The last statement asked about and its answer: the engine runs every rule on one statement before the next, so
 * this one entry answers five of the six rules (a WeakMap lookup per rule and statement cost more than the rules).
 */
let last: { stmt: SqlStatement; types: DeclaredType[] } | undefined;

/** Every column type a statement declares: CREATE TABLE columns, ADD COLUMN and ALTER COLUMN TYPE (memoised: six rules ask). */
function declaredTypes(stmt: SqlStatement): DeclaredType[] {
  if (stmt.kind !== 'CreateStmt' && stmt.kind !== 'AlterTableStmt') return NONE;
  if (last?.stmt === stmt) return last.types;
  // Plain loops and no object spread: this runs once per CREATE/ALTER TABLE, mostly while the code is still cold.
  const types: DeclaredType[] = [];
  const add = (def: ColumnDef | undefined, column: string | undefined) => {
    if (def?.typeName)
      types.push({ column: column ?? '', type: def.typeName, name: typeNameOf(def.typeName) });
  };
  for (const elt of nodeAs(stmt.node, 'CreateStmt')?.tableElts ?? []) {
    const def = nodeAs(elt, 'ColumnDef');
    add(def, def?.colname);
  }
  for (const cmd of alterTableCommands(stmt.node)?.cmds ?? []) {
    if (cmd.subtype === 'AT_AddColumn' || cmd.subtype === 'AT_AlterColumnType') {
      const def = nodeAs(cmd.def, 'ColumnDef');
      add(def, def?.colname ?? cmd.name);
    }
  }
  last = { stmt, types };
  return types;
}

function typeRule(name: string, types: string[], why: string, instead: string): Rule {
  const match = new Set(types);
  return {
    name,
    severity: 'warning',
    kinds: ['CreateStmt', 'AlterTableStmt'],
    check: (stmt) =>
      declaredTypes(stmt).flatMap(({ column, type, name: typeName }): Finding[] => {
        if (!match.has(typeName) || (name === 'prefer-text-field' && !type.typmods?.length)) return [];
        return [
          { location: type.location, message: `column "${column}" is ${typeName}: ${why}`, hint: instead },
        ];
      }),
  };
}

export const typeRules: Rule[] = [
  typeRule(
    'prefer-bigint-over-int',
    ['int4', 'int', 'integer', 'serial', 'serial4'],
    'a 32-bit integer runs out at 2.1 billion, and widening it later rewrites the table',
    'use bigint (or bigint GENERATED ALWAYS AS IDENTITY for keys)',
  ),
  typeRule(
    'prefer-bigint-over-smallint',
    ['int2', 'smallint', 'smallserial', 'serial2'],
    'a 16-bit integer runs out at 32,767',
    'use bigint',
  ),
  typeRule(
    'prefer-identity',
    ['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial'],
    'serial types own a sequence with loose permissions and dump semantics',
    'use bigint GENERATED ALWAYS AS IDENTITY',
  ),
  typeRule(
    'prefer-text-field',
    ['varchar'],
    'changing the length limit later takes an ACCESS EXCLUSIVE lock',
    'use text with a CHECK (char_length(col) <= n) constraint, which can be changed NOT VALID',
  ),
  typeRule(
    'prefer-timestamp-tz',
    ['timestamp'],
    'timestamp without time zone silently drops the offset and misbehaves across DST and server time zones',
    'use timestamptz',
  ),
  typeRule(
    'ban-char-field',
    ['bpchar', 'char', 'character'],
    'char(n) pads with spaces and is no faster',
    'use text',
  ),
];
