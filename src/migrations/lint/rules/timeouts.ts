/**
 * lock_timeout and statement_timeout. Without a lock timeout, DDL waiting for its lock queues every later query
 * behind it. opsbook's runner sets both before each file, so these fire only when the runner is told not to.
 */
import { nodeAs } from '../../ast.js';
import type { SqlStatement } from '../../parse-sql.js';
import type { FileContext, Rule } from '../context.js';

const LOCKING_KINDS =
  /^(Create|Alter|Drop|Define|Index|View|Rule|Comment|Lock|RefreshMatView|Reindex|Truncate|Cluster|Rename|CompositeType|ImportForeignSchema|Load)/;

/** DDL and the maintenance commands that take table locks; plain DML is left alone (as squawk's `possibly_slow_stmt`). */
function takesSchemaLocks(stmt: SqlStatement): boolean {
  if (stmt.kind === 'VacuumStmt') return Boolean(nodeAs(stmt.node, 'VacuumStmt')?.is_vacuumcmd);
  if (nodeAs(stmt.node, 'CreateTableAsStmt')?.is_select_into) return false;
  // A new table locks nothing that exists, unless a foreign key locks the referenced table.
  const create = nodeAs(stmt.node, 'CreateStmt');
  if (create) return JSON.stringify(create).includes('"CONSTR_FOREIGN"');
  return LOCKING_KINDS.test(stmt.kind);
}

/** Reports once per file: at the first lock-taking statement before the setting. */
function timeoutRule(name: string, setting: 'lock_timeout' | 'statement_timeout'): Rule {
  const reported = new WeakSet<FileContext>();
  return {
    name,
    severity: 'warning',
    check(stmt, ctx) {
      const set = setting === 'lock_timeout' ? ctx.lockTimeoutSet : ctx.statementTimeoutSet;
      const byRunner =
        setting === 'lock_timeout' ? ctx.run.runnerTimeouts.lock : ctx.run.runnerTimeouts.statement;
      if (set || byRunner || reported.has(ctx) || !takesSchemaLocks(stmt)) return undefined;
      reported.add(ctx);
      return {
        message: `no ${setting} before this statement: ${
          setting === 'lock_timeout'
            ? 'while it waits for its lock, every query on the table queues behind it'
            : 'a slow statement holds its locks for as long as it runs'
        }`,
        // An engine's own command (prisma, alembic, ...) applies the file: opsbook's config cannot set it there.
        hint: `start the file with SET ${setting} = '...'; where opsbook applies the files itself (engine: sql), migrations.${setting === 'lock_timeout' ? 'lockTimeout' : 'statementTimeout'} in opsbook.yaml sets it before each file`,
      };
    },
  };
}

export const timeoutRules: Rule[] = [
  timeoutRule('require-lock-timeout', 'lock_timeout'),
  timeoutRule('require-statement-timeout', 'statement_timeout'),
];
