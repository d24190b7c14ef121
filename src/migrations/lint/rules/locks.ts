/**
 * Heavy table locks the other rules do not already name, from PostgreSQL's table of lock modes (explicit-locking.html)
 * and the lock level of each ALTER TABLE form: statements that hold ACCESS EXCLUSIVE (or a SHARE-level lock that blocks
 * writes) on an existing table for as long as they scan, rewrite or wait. Index builds and drops, type changes,
 * SET NOT NULL, validating constraints, volatile defaults and drops have their own rules; brief catalog-only changes
 * (a plain ADD COLUMN, DROP CONSTRAINT, a trigger) are made safe by lock_timeout, which require-lock-timeout demands.
 */
import type { AlterTableCmd } from 'libpg-query';
import { columnConstraints, nodeAs, relationKey } from '../../ast.js';
import type { SqlStatement } from '../../parse-sql.js';
import { type FileContext, type Finding, isNewTable, type Rule } from '../context.js';

const REPACK = 'use pg_repack (or pg_squeeze) to rebuild the table online';
/** LockStmt modes: 5 SHARE, 6 SHARE ROW EXCLUSIVE, 7 EXCLUSIVE, 8 ACCESS EXCLUSIVE (lockdefs.h). */
const LOCK_MODES: Record<number, string> = {
  5: 'SHARE',
  6: 'SHARE ROW EXCLUSIVE',
  7: 'EXCLUSIVE',
  8: 'ACCESS EXCLUSIVE',
};

function finding(table: string, what: string, lock: string, hint: string, location?: number): Finding {
  const blocks = lock === 'ACCESS EXCLUSIVE' ? 'every read and write' : 'every write';
  return {
    location,
    message: `${what} holds ${lock} on "${table}" for its whole run: ${blocks} waits`,
    hint,
  };
}

function statementLocks(stmt: SqlStatement, ctx: FileContext): Finding[] {
  const n = stmt.node;
  const existing = (key: string) => key !== '' && !isNewTable(ctx, key);
  const truncate = nodeAs(n, 'TruncateStmt');
  if (truncate) {
    return (truncate.relations ?? []).flatMap((r) => {
      const key = relationKey(nodeAs(r, 'RangeVar'));
      return existing(key)
        ? [
            finding(
              key,
              'TRUNCATE',
              'ACCESS EXCLUSIVE',
              'delete in batches instead if the table must stay online; otherwise schedule it and keep lock_timeout short',
            ),
          ]
        : [];
    });
  }
  const cluster = nodeAs(n, 'ClusterStmt');
  if (cluster && existing(relationKey(cluster.relation)))
    return [finding(relationKey(cluster.relation), 'CLUSTER', 'ACCESS EXCLUSIVE', REPACK)];
  const vacuum = nodeAs(n, 'VacuumStmt');
  if (vacuum?.options?.some((o) => nodeAs(o, 'DefElem')?.defname === 'full')) {
    return (vacuum.rels ?? []).flatMap((r) => {
      const key = relationKey(nodeAs(r, 'VacuumRelation')?.relation);
      return existing(key) ? [finding(key, 'VACUUM FULL', 'ACCESS EXCLUSIVE', REPACK)] : [];
    });
  }
  const refresh = nodeAs(n, 'RefreshMatViewStmt');
  if (refresh && !refresh.concurrent) {
    return [
      finding(
        relationKey(refresh.relation),
        'REFRESH MATERIALIZED VIEW',
        'ACCESS EXCLUSIVE',
        'REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view) keeps it readable',
      ),
    ];
  }
  const lock = nodeAs(n, 'LockStmt');
  if (lock && (lock.mode ?? 8) >= 5) {
    const mode = LOCK_MODES[lock.mode ?? 8] ?? 'ACCESS EXCLUSIVE';
    return (lock.relations ?? []).flatMap((r) => {
      const key = relationKey(nodeAs(r, 'RangeVar'));
      return existing(key)
        ? [
            finding(
              key,
              `LOCK TABLE ... IN ${mode} MODE`,
              mode,
              'take the weakest mode that protects the change, keep the transaction short, and set lock_timeout',
            ),
          ]
        : [];
    });
  }
  return alterLocks(stmt, ctx);
}

function alterLocks(stmt: SqlStatement, ctx: FileContext): Finding[] {
  const alter = nodeAs(stmt.node, 'AlterTableStmt');
  if (!alter) return [];
  const table = relationKey(alter.relation);
  if (table === '' || isNewTable(ctx, table)) return [];
  const pg = ctx.run.pg.major;
  const isIndex = alter.objtype === 'OBJECT_INDEX';
  const existing = (key: string) => key !== '' && !isNewTable(ctx, key);
  return (alter.cmds ?? []).flatMap((c): Finding[] => {
    const cmd = nodeAs(c, 'AlterTableCmd') as AlterTableCmd | undefined;
    switch (cmd?.subtype) {
      case 'AT_SetTableSpace':
        return [
          finding(
            table,
            `${isIndex ? 'ALTER INDEX' : 'ALTER TABLE'} SET TABLESPACE (a full copy)`,
            'ACCESS EXCLUSIVE',
            isIndex
              ? 'CREATE INDEX CONCURRENTLY ... TABLESPACE, then drop the old index concurrently'
              : REPACK,
          ),
        ];
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
        return [
          finding(
            table,
            `SET ${cmd.subtype === 'AT_SetLogged' ? 'LOGGED' : 'UNLOGGED'} (a table rewrite)`,
            'ACCESS EXCLUSIVE',
            'there is no online form: schedule it for a quiet window',
          ),
        ];
      case 'AT_SetAccessMethod':
        return [finding(table, 'SET ACCESS METHOD (a table rewrite)', 'ACCESS EXCLUSIVE', REPACK)];
      case 'AT_DetachPartition':
        if (nodeAs(cmd.def, 'PartitionCmd')?.concurrent) return [];
        return [
          finding(
            table,
            'DETACH PARTITION',
            'ACCESS EXCLUSIVE',
            pg >= 14
              ? 'use DETACH PARTITION ... CONCURRENTLY (outside a transaction; opsbook runs such files statement by statement)'
              : 'PostgreSQL 14 adds DETACH PARTITION ... CONCURRENTLY; before it, schedule the detach',
          ),
        ];
      case 'AT_AttachPartition': {
        if (pg < 12) {
          return [
            finding(
              table,
              'ATTACH PARTITION before PostgreSQL 12',
              'ACCESS EXCLUSIVE',
              'add a CHECK constraint matching the partition bound (NOT VALID, then VALIDATE) so the attach skips its scan',
            ),
          ];
        }
        // From 12 the parent gets only SHARE UPDATE EXCLUSIVE, but the table being attached (and a DEFAULT partition,
        // if any) is still locked ACCESS EXCLUSIVE and scanned unless a CHECK constraint proves the bound.
        const part = relationKey(nodeAs(cmd.def, 'PartitionCmd')?.name);
        if (!existing(part)) return [];
        return [
          finding(
            part,
            `ATTACH PARTITION to "${table}" (a scan of the partition, and of the DEFAULT partition if there is one)`,
            'ACCESS EXCLUSIVE',
            'first add a CHECK constraint matching the bound to the partition (and one excluding it to the DEFAULT partition), NOT VALID then VALIDATE CONSTRAINT, so the attach skips both scans',
          ),
        ];
      }
      case 'AT_AddConstraint':
        if (nodeAs(cmd.def, 'Constraint')?.contype !== 'CONSTR_EXCLUSION') return [];
        return [
          finding(
            table,
            'ADD CONSTRAINT ... EXCLUDE (an index build and a check of every row)',
            'ACCESS EXCLUSIVE',
            'there is no NOT VALID or concurrent form: build it on a new table, or schedule it',
          ),
        ];
      case 'AT_AddColumn': {
        const check = columnConstraints(nodeAs(cmd.def, 'ColumnDef')).find(
          (k) => k.contype === 'CONSTR_CHECK',
        );
        if (!check) return [];
        return [
          finding(
            table,
            'ADD COLUMN with a CHECK (validated against every row)',
            'ACCESS EXCLUSIVE',
            'add the column without the check, then ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE CONSTRAINT in a later migration',
            check.location,
          ),
        ];
      }
      default:
        return [];
    }
  });
}

export const heavyTableLock: Rule = {
  name: 'heavy-table-lock',
  kinds: ['TruncateStmt', 'ClusterStmt', 'VacuumStmt', 'RefreshMatViewStmt', 'LockStmt', 'AlterTableStmt'],
  severity: 'warning',
  check: (stmt, ctx) => statementLocks(stmt, ctx),
};

export const lockRules: Rule[] = [heavyTableLock];
