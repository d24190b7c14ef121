/**
 * Whether a column default must be evaluated per row. Since PostgreSQL 11 a non-volatile default is stored once in
 * the catalog, so ADD COLUMN ... DEFAULT is instant; a volatile one (random(), gen_random_uuid(), clock_timestamp())
 * rewrites the whole table under ACCESS EXCLUSIVE. Unknown functions count as volatile, as squawk does.
 */
import type { Node } from 'libpg-query';
import { nodeAs, stringValues } from '../ast.js';

/** Common built-ins that are IMMUTABLE or STABLE in pg_proc (checked against PostgreSQL 15). */
const NON_VOLATILE = new Set([
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'current_setting',
  'timezone',
  'date_trunc',
  'make_date',
  'make_interval',
  'make_timestamp',
  'make_timestamptz',
  'to_timestamp',
  'to_date',
  'to_char',
  'to_json',
  'to_jsonb',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'array_fill',
  'lower',
  'upper',
  'btrim',
  'trim',
  'concat',
  'concat_ws',
  'length',
  'replace',
  'substring',
  'abs',
  'round',
  'floor',
  'ceil',
  'md5',
  'int4',
  'int8',
  'numeric',
  'text',
]);

export function isVolatileExpression(expr: Node | undefined): boolean {
  if (!expr) return false;
  const func = nodeAs(expr, 'FuncCall');
  if (func) {
    const name = (stringValues(func.funcname).at(-1) ?? '').toLowerCase();
    if (!NON_VOLATILE.has(name)) return true;
  }
  if ('SubLink' in expr) return true;
  // Operators, casts, arrays, CASE and COALESCE are non-volatile themselves: look at what they contain.
  return Object.values(Object.values(expr)[0] ?? {}).some((v) => childNodes(v).some(isVolatileExpression));
}

function childNodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.filter(isNode);
  return isNode(value) ? [value] : [];
}

function isNode(value: unknown): value is Node {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] ?? '');
}
