/** Small typed accessors over the libpg-query AST, so rules read like the SQL they look for. */
import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from 'libpg-query';

type NodeKey = Node extends infer U ? (U extends Record<infer K, unknown> ? K : never) : never;
type NodeOf<K extends NodeKey> = Extract<Node, Record<K, unknown>>[K];

/** The payload of `node` when it is of type `key`, e.g. `nodeAs(stmt, 'IndexStmt')`. */
export function nodeAs<K extends NodeKey>(node: Node | undefined, key: K): NodeOf<K> | undefined {
  return node && key in node ? (node as unknown as Record<K, NodeOf<K>>)[key] : undefined;
}

/** `schema.table` or `table`: the key under which the lint context remembers tables. */
export function relationKey(rel: RangeVar | undefined): string {
  if (!rel?.relname) return '';
  return rel.schemaname ? `${rel.schemaname}.${rel.relname}` : rel.relname;
}

/** Whether two relation keys can name the same table (an unqualified name matches any schema). */
export function sameRelation(a: string, b: string): boolean {
  if (a === b) return true;
  const [as, at] = a.includes('.') ? a.split('.', 2) : [undefined, a];
  const [bs, bt] = b.includes('.') ? b.split('.', 2) : [undefined, b];
  return at === bt && (as === undefined || bs === undefined || as === bs);
}

export function stringValues(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => nodeAs(n, 'String')?.sval ?? '');
}

/** The type's last name part, lower case: `int4`, `varchar`, `timestamptz`, `serial`. */
export function typeNameOf(type: TypeName | undefined): string {
  const names = stringValues(type?.names);
  return (names[names.length - 1] ?? '').toLowerCase();
}

export function columnConstraints(def: ColumnDef | undefined): Constraint[] {
  // A loop, not flatMap: several rules ask for every added column, mostly while the code is still cold.
  const found: Constraint[] = [];
  for (const c of def?.constraints ?? []) {
    const con = nodeAs(c, 'Constraint');
    if (con) found.push(con);
  }
  return found;
}

/** A DROP statement's object names as relation keys (`DROP TABLE a, s.b`). */
export function droppedNames(objects: Node[] | undefined): string[] {
  return (objects ?? []).map((o) => stringValues(nodeAs(o, 'List')?.items).join('.'));
}

/** The last ALTER TABLE asked about: rules run one statement at a time, so one entry answers them all. */
let lastAlter: { node: Node; result: { table: string; cmds: AlterTableCmd[] } | undefined } | undefined;

/**
 * The sub-commands of an `ALTER TABLE` (not ALTER INDEX/VIEW/SEQUENCE, which share the node type). Memoised for the last node:
 * a dozen rules ask for the same statement.
 */
export function alterTableCommands(node: Node): { table: string; cmds: AlterTableCmd[] } | undefined {
  const alter = nodeAs(node, 'AlterTableStmt');
  if (!alter) return undefined;
  if (lastAlter?.node === node) return lastAlter.result;
  const result =
    alter.objtype !== undefined && alter.objtype !== 'OBJECT_TABLE'
      ? undefined
      : {
          table: relationKey(alter.relation),
          cmds: (alter.cmds ?? []).flatMap((c) => nodeAs(c, 'AlterTableCmd') ?? []),
        };
  lastAlter = { node, result };
  return result;
}
