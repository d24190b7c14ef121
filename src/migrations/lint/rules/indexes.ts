/** Index builds and drops: the plain forms lock writes (or everything) for the whole build. */
import { droppedNames, nodeAs, relationKey } from '../../ast.js';
import { isConcurrentReindex } from '../../execution-mode.js';
import { isNewTable, type Rule } from '../context.js';

export const requireConcurrentIndexCreation: Rule = {
  name: 'require-concurrent-index-creation',
  kinds: ['IndexStmt'],
  severity: 'error',
  check(stmt, ctx) {
    const index = nodeAs(stmt.node, 'IndexStmt');
    // A table created earlier in the run is empty: a plain build is instant and needs no CONCURRENTLY.
    if (!index || index.concurrent || isNewTable(ctx, relationKey(index.relation))) return undefined;
    return {
      location: index.relation?.location,
      message:
        'CREATE INDEX without CONCURRENTLY blocks every write to the table (SHARE lock) for the whole build',
      hint: 'use CREATE INDEX CONCURRENTLY; opsbook runs it outside a transaction and resumes the file if interrupted',
    };
  },
};

export const requireConcurrentIndexDeletion: Rule = {
  name: 'require-concurrent-index-deletion',
  kinds: ['DropStmt'],
  severity: 'error',
  check(stmt, ctx) {
    const drop = nodeAs(stmt.node, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_INDEX' || drop.concurrent) return undefined;
    if (droppedNames(drop.objects).every((name) => ctx.run.newIndexes.has(name.split('.').at(-1) ?? '')))
      return undefined;
    return {
      message: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock: reads and writes wait',
      hint: 'use DROP INDEX CONCURRENTLY IF EXISTS',
    };
  },
};

export const banConcurrentIndexCreationInTransaction: Rule = {
  name: 'ban-concurrent-index-creation-in-transaction',
  kinds: ['IndexStmt'],
  severity: 'error',
  check(stmt, ctx) {
    if (!nodeAs(stmt.node, 'IndexStmt')?.concurrent || !ctx.inTransaction) return undefined;
    return {
      message: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block; Postgres rejects it',
      hint: 'remove the surrounding BEGIN/COMMIT: opsbook runs files with concurrent statements statement by statement',
    };
  },
};

export const requireConcurrentReindex: Rule = {
  name: 'require-concurrent-reindex',
  kinds: ['ReindexStmt'],
  severity: 'error',
  check(stmt, ctx) {
    // REINDEX CONCURRENTLY exists from PostgreSQL 12; before that there is no non-blocking form to suggest.
    if (stmt.kind !== 'ReindexStmt' || isConcurrentReindex(stmt) || ctx.run.pg.major < 12) return undefined;
    return {
      message:
        'REINDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index and blocks writes to the table',
      hint: 'use REINDEX ... CONCURRENTLY',
    };
  },
};

export const concurrentIndexCorruptionRisk: Rule = {
  name: 'concurrent-index-corruption-risk',
  kinds: ['IndexStmt', 'ReindexStmt'],
  severity: 'error',
  check(stmt, ctx) {
    const { major, minor } = ctx.run.pg;
    const concurrent = nodeAs(stmt.node, 'IndexStmt')?.concurrent || isConcurrentReindex(stmt);
    if (!concurrent || major !== 14 || minor > 3) return undefined;
    return {
      message: `PostgreSQL 14.0-14.3 can silently corrupt indexes built or rebuilt CONCURRENTLY (server is 14.${minor})`,
      hint: 'upgrade the server to 14.4 or later before running this migration',
    };
  },
};

export const indexRules: Rule[] = [
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  banConcurrentIndexCreationInTransaction,
  requireConcurrentReindex,
  concurrentIndexCorruptionRisk,
];
