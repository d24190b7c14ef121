/**
 * Destructive statements (drops, truncates, rewrites, DELETE/UPDATE without WHERE) and what in the target database
 * still references their objects: views and foreign keys from the catalogs, and function bodies by text, which
 * pg_depend cannot see.
 */
import { alterTableCommands, droppedNames, nodeAs, relationKey, sameRelation, stringValues } from './ast.js';
import type { DbClient } from './db.js';
import type { SqlStatement } from './parse-sql.js';

export interface DestructiveTarget {
  action:
    | 'drop table'
    | 'drop column'
    | 'drop schema'
    | 'truncate'
    | 'rewrite'
    | 'delete all rows'
    | 'update all rows';
  /** `table` or `schema.table`; for `drop schema`, the schema. */
  object: string;
  column?: string;
  statement: SqlStatement;
}

export function findDestructiveTargets(statements: readonly SqlStatement[]): DestructiveTarget[] {
  return statements.flatMap((statement): DestructiveTarget[] => {
    const n = statement.node;
    const drop = nodeAs(n, 'DropStmt');
    if (drop?.removeType === 'OBJECT_TABLE')
      return droppedNames(drop.objects).map((object) => ({ action: 'drop table', object, statement }));
    if (drop?.removeType === 'OBJECT_SCHEMA') {
      return (drop.objects ?? []).map((o) => ({
        action: 'drop schema',
        object: nodeAs(o, 'String')?.sval ?? '',
        statement,
      }));
    }
    const truncate = nodeAs(n, 'TruncateStmt');
    if (truncate) {
      return (truncate.relations ?? []).map((r) => ({
        action: 'truncate',
        object: relationKey(nodeAs(r, 'RangeVar')),
        statement,
      }));
    }
    const del = nodeAs(n, 'DeleteStmt');
    if (del && !del.whereClause)
      return [{ action: 'delete all rows', object: relationKey(del.relation), statement }];
    const update = nodeAs(n, 'UpdateStmt');
    if (update && !update.whereClause)
      return [{ action: 'update all rows', object: relationKey(update.relation), statement }];
    const alter = alterTableCommands(n);
    return (alter?.cmds ?? []).flatMap((cmd): DestructiveTarget[] => {
      if (cmd.subtype === 'AT_DropColumn')
        return [{ action: 'drop column', object: alter?.table ?? '', column: cmd.name, statement }];
      if (cmd.subtype === 'AT_AlterColumnType')
        return [{ action: 'rewrite', object: alter?.table ?? '', column: cmd.name, statement }];
      return [];
    });
  });
}

export interface Reference {
  kind: 'view' | 'foreign key' | 'function';
  name: string;
}

/** Objects that still use a dropped table or column, minus those the same file drops itself. */
export async function findReferences(
  client: DbClient,
  target: DestructiveTarget,
  fileStatements: readonly SqlStatement[],
): Promise<Reference[]> {
  if (target.action !== 'drop table' && target.action !== 'drop column') return [];
  const { rows: rel } = await client.query<{ oid: string | null }>(
    'SELECT to_regclass($1)::oid::text AS oid',
    [target.object],
  );
  const oid = rel[0]?.oid;
  if (!oid) return [];
  const column = target.action === 'drop column' ? (target.column ?? '') : null;
  const table = target.object.split('.').at(-1) ?? target.object;
  const { rows } = await client.query<Reference>(REFERENCES_SQL, [
    oid,
    column,
    escapeRegex(table),
    column && escapeRegex(column),
  ]);
  const droppedHere = namesDroppedIn(fileStatements);
  return rows.filter(
    (r) => !droppedHere.some((d) => sameRelation(d, r.name.replace(/\(.*$/, '').replace(/"/g, ''))),
  );
}

const REFERENCES_SQL = `
WITH target AS (
  SELECT $1::oid AS rel,
         (SELECT attnum FROM pg_attribute WHERE attrelid = $1::oid AND attname = $2::text) AS att
)
SELECT DISTINCT 'view' AS kind, v.oid::regclass::text AS name
  FROM target t JOIN pg_depend d ON d.refobjid = t.rel AND d.classid = 'pg_rewrite'::regclass
  JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
 WHERE v.oid <> t.rel AND ($2::text IS NULL OR d.refobjsubid = t.att)
UNION
SELECT DISTINCT 'foreign key', c.conrelid::regclass::text || '.' || c.conname
  FROM target t JOIN pg_constraint c ON c.contype = 'f'
   AND ((c.confrelid = t.rel AND c.conrelid <> t.rel AND $2::text IS NULL)
     OR ($2::text IS NOT NULL AND ((c.confrelid = t.rel AND t.att = ANY (c.confkey)) OR (c.conrelid = t.rel AND t.att = ANY (c.conkey)))))
UNION
SELECT DISTINCT 'function', p.oid::regprocedure::text
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND p.prosrc ~* ('\\m' || $3::text || '\\M')
   AND ($4::text IS NULL OR p.prosrc ~* ('\\m' || $4::text || '\\M'))
ORDER BY 1, 2`;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Views, functions and constraints the file drops itself, so they are not reported as still referencing. */
function namesDroppedIn(statements: readonly SqlStatement[]): string[] {
  return statements.flatMap((s) => {
    const drop = nodeAs(s.node, 'DropStmt');
    if (drop?.removeType === 'OBJECT_VIEW' || drop?.removeType === 'OBJECT_MATVIEW')
      return droppedNames(drop.objects);
    if (drop?.removeType === 'OBJECT_FUNCTION') {
      return (drop.objects ?? []).map((o) => stringValues(nodeAs(o, 'ObjectWithArgs')?.objname).join('.'));
    }
    const alter = alterTableCommands(s.node);
    return (alter?.cmds ?? []).flatMap((c) =>
      c.subtype === 'AT_DropConstraint' && c.name ? [`${alter?.table}.${c.name}`] : [],
    );
  });
}
