/**
 * `migrate up`: take the lock, re-plan under it (a waiter usually finds its work already done), refuse on drift or
 * lint errors, then per file: check references, back up, apply, record.
 */
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { applyFile, InterruptedError, LockLostError, type PgError } from './apply-file.js';
import {
  closeClient,
  connect,
  destroyClient,
  droppedReason,
  isConnectionError,
  requireDatabaseUrl,
} from './db.js';
import { engineFor } from './engines/index.js';
import { engineUp } from './engines/up.js';
import { ensureHistory } from './history.js';
import { acquireMigrationLock } from './lock.js';
import { DEFAULTS } from './options.js';
import { parseSqlSync } from './parse-sql.js';
import { buildPlan, type MigrationPlan, type PlannedMigration } from './plan.js';
import { referenceDiagnostics } from './references.js';
import { backupBefore, record, type UpOptions } from './up-steps.js';

export type { UpOptions } from './up-steps.js';

export interface AppliedMigration {
  version: string;
  name: string;
  file: string;
  status: 'applied' | 'failed';
  durationMs: number;
  resumedFrom?: number;
  backup?: string;
}

export interface UpResult {
  ok: boolean;
  /** Another runner held the lock for the whole wait. */
  locked?: boolean;
  target: string;
  applied: AppliedMigration[];
  diagnostics: Diagnostic[];
  plan?: MigrationPlan;
}

export async function migrateUp(options: UpOptions): Promise<UpResult> {
  const url = requireDatabaseUrl(options);
  const schema = options.schema ?? DEFAULTS.schema;
  const lock = await acquireMigrationLock(url, schema, {
    timeoutMs: options.advisoryLockTimeoutMs ?? DEFAULTS.advisoryLockTimeoutMs,
    signal: options.signal,
    onWait: (holders) =>
      options.onProgress?.(
        `waiting for the migration lock held by ${holders.map((h) => `pid ${h.pid} (${h.application})`).join(', ') || 'another session'}`,
      ),
  });
  if (!lock.ok) {
    const who = lock.holders
      .map((h) => `pid ${h.pid} ${h.application} from ${h.client ?? 'local socket'} since ${h.since}`)
      .join('; ');
    return {
      ok: false,
      locked: true,
      target: '',
      applied: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'migration/locked',
          message: `another migration run held the lock for ${Math.round(lock.waitedMs / 1000)} s: ${who || 'holder unknown'}`,
          hint: 'wait for it to finish, or raise the lock wait; a killed runner releases the lock when its session ends',
        },
      ],
    };
  }
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs;
  // A statement may run up to statement_timeout; past that plus a margin the server is not answering at all.
  const client = await connect(url, 'run', {
    queryMs: statementTimeoutMs > 0 ? statementTimeoutMs + 5_000 : 0,
  });
  // When the lock connection dies, stop the statement in flight instead of letting it finish unguarded.
  lock.lock.onLost(() => destroyClient(client));
  const result: UpResult = { ok: true, target: '', applied: [], diagnostics: [] };
  let current: PlannedMigration | undefined;
  /** Why an engine's history could not be read after its command ran: what it applied is then unknown. */
  let historyUnread: { command: string; reason: string } | undefined;
  try {
    const engine = options.engine && options.engine !== 'sql' ? engineFor(options.engine) : undefined;
    if (engine) {
      // The run connection sat idle through the engine's command, and idle-session timeouts, PgBouncer or a NAT may
      // have closed it: the history is read again on a fresh connection.
      const replan = async () => {
        try {
          const fresh = await connect(url, 'run');
          try {
            return await buildPlan(fresh, options, { checkReferences: false, lint: false });
          } finally {
            await closeClient(fresh);
          }
        } catch (error) {
          const command = options.command ?? engine.defaultCommand ?? 'the engine command';
          historyUnread = { command, reason: error instanceof Error ? error.message : String(error) };
          throw error;
        }
      };
      const plan = await buildPlan(client, options, { checkReferences: false, lint: !options.skipLint });
      // The engine's own history is the record: the backup is announced to the journal only (no schema arg).
      const run = await engineUp(engine, plan, options, replan, (m) =>
        backupBefore(client, url, m, options, undefined),
      );
      // Nothing stops the engine's command when the lock goes: the run cannot be called clean afterwards.
      const lost = lock.lock.lost();
      if (lost) {
        const done = run.applied.filter((a) => a.status === 'applied').map((a) => a.file);
        run.diagnostics.push({
          severity: 'error',
          code: 'migration/lock-lost',
          message: `the migration lock was lost while \`${options.command ?? engine.defaultCommand}\` ran (${lost}), so another runner may have run at the same time; recorded as applied: ${done.join(', ') || 'none'}`,
          hint: "run 'opsbook migrate status' to check the database; if this repeats, migrate over a direct connection (not a PgBouncer transaction pool) and check idle-session timeouts",
        });
      }
      return {
        ok: run.ok && !lost,
        target: plan.target,
        applied: run.applied,
        diagnostics: [...plan.diagnostics, ...run.diagnostics],
        plan,
      };
    }
    await ensureHistory(client, schema);
    const plan = await buildPlan(client, options, {
      checkReferences: false,
      lint: !options.skipLint,
      parseErrors: true,
    });
    Object.assign(result, { target: plan.target, plan });
    result.diagnostics.push(...plan.diagnostics);
    if (hasErrors(plan.diagnostics)) return { ...result, ok: false };
    for (const migration of plan.pending) {
      options.signal?.throwIfAborted();
      current = undefined;
      const lost = await lock.lock.confirm(client);
      if (lost) throw new LockLostError(lost);
      current = migration;
      const refs = await referenceDiagnostics(client, migration, options.ruleSeverity);
      result.diagnostics.push(...refs);
      if (hasErrors(refs)) return { ...result, ok: false };
      const backup = await backupBefore(client, url, migration, options, schema);
      if (!backup.ok) {
        result.diagnostics.push(backup.diagnostic);
        return { ...result, ok: false };
      }
      options.onProgress?.(
        `applying ${migration.file.display}${migration.resumeFrom ? ` from statement ${migration.resumeFrom + 1}` : ''}`,
      );
      const outcome = await applyFile(
        client,
        {
          file: migration.file,
          transactional: migration.transactional,
          statements: migration.statements,
          resumeFrom: migration.resumeFrom,
        },
        {
          schema,
          pg: plan.pg,
          lockTimeoutMs: options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs,
          statementTimeoutMs: options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
          lockRetries: options.lockRetries ?? DEFAULTS.lockRetries,
          backupRef: backup.path,
          lock: lock.lock,
          signal: options.signal,
          onProgress: options.onProgress,
        },
      );
      if (!outcome.ok && outcome.error instanceof InterruptedError) {
        const done = outcome.appliedStatements ?? 0;
        result.diagnostics.push({
          severity: 'error',
          code: 'migration/interrupted',
          message: `interrupted: ${done} of ${migration.statements.length} statement(s) of ${migration.file.display} are applied and recorded; the rest did not run`,
          hint: `run 'opsbook migrate up' again to resume at statement ${done + 1}`,
          location: { file: migration.file.display },
        });
        return { ...result, ok: false };
      }
      if (!outcome.ok && (outcome.error instanceof LockLostError || isConnectionError(outcome.error))) {
        throw Object.assign(outcome.error, { appliedStatements: outcome.appliedStatements });
      }
      if (outcome.ok && outcome.appliedElsewhere) {
        options.onProgress?.(`${migration.file.display} was applied by another runner meanwhile`);
        continue;
      }
      const applied: AppliedMigration = {
        version: migration.version,
        name: migration.name,
        file: migration.file.display,
        status: outcome.ok ? 'applied' : 'failed',
        durationMs: outcome.durationMs,
        resumedFrom: migration.resumeFrom || undefined,
        backup: backup.path,
      };
      result.applied.push(applied);
      if (!outcome.ok) {
        result.diagnostics.push(failureDiagnostic(migration, outcome.failedStatement?.start, outcome.error));
        await record(
          client,
          schema,
          options,
          'failed',
          migration.version,
          `${migration.file.display} failed: ${outcome.error.message}`,
          applied,
        );
        return { ...result, ok: false };
      }
      await record(
        client,
        schema,
        options,
        'applied',
        migration.version,
        `applied ${migration.file.display}`,
        applied,
      );
    }
    return result;
  } catch (error) {
    if (historyUnread) {
      result.diagnostics.push({
        severity: 'error',
        code: 'migration/history-unreadable',
        message: `\`${historyUnread.command}\` ran, but its history could not be read afterwards (${historyUnread.reason}): which migrations it applied is not known`,
        hint: "check the network and server, then run 'opsbook migrate status' to see what is applied",
      });
      return { ...result, ok: false };
    }
    const lost = lock.lock.lost();
    if (!(error instanceof LockLostError) && !isConnectionError(error) && !lost) throw error;
    const reason = droppedReason(client, error);
    result.diagnostics.push(interruptedDiagnostic(error as PgError, reason, lost, current, result.applied));
    return { ...result, ok: false };
  } finally {
    await closeClient(client);
    await lock.lock.release().catch(() => {});
  }
}

/** The run stopped because a connection or the lock went away: what is applied, what is not, and how to go on. */
function interruptedDiagnostic(
  error: PgError & { appliedStatements?: number },
  reason: string,
  lockLost: string | undefined,
  current: PlannedMigration | undefined,
  applied: readonly AppliedMigration[],
): Diagnostic {
  const done = applied.filter((a) => a.status === 'applied').map((a) => a.file);
  const before = done.length ? `applied before it stopped: ${done.join(', ')}` : 'no file was completed';
  let state = '';
  if (current) {
    state = current.transactional
      ? `; ${current.file.display} ran in one transaction, so none of it is applied`
      : `; ${current.file.display} runs statement by statement: ${error.appliedStatements ?? 'the recorded number of'} statement(s) of it are recorded as applied and the next run resumes after them`;
  }
  const lostLock = error instanceof LockLostError || lockLost;
  return {
    severity: 'error',
    code: lostLock ? 'migration/lock-lost' : 'migration/connection-lost',
    message: lostLock
      ? `stopped: the migration lock was lost (${lockLost ?? error.message}), so another runner may start; ${before}${state}`
      : `stopped: the database connection was lost (${reason}); ${before}${state}`,
    hint: lostLock
      ? "run 'opsbook migrate up' again to resume; if this repeats, migrate over a direct connection (not a PgBouncer transaction pool) and check idle-session timeouts"
      : "check the network and server, then run 'opsbook migrate status' and 'opsbook migrate up' to resume where it stopped",
    location: current ? { file: current.file.display } : undefined,
  };
}

function failureDiagnostic(
  migration: PlannedMigration,
  start: number | undefined,
  error: PgError,
): Diagnostic {
  const parsed = parseSqlSync(migration.file.text);
  // Postgres reports a 1-based character position inside the statement it was sent.
  const offset = start === undefined ? 0 : start + Math.max(0, Number(error.position ?? 1) - 1);
  const statementsRun = migration.transactional
    ? 'nothing from this file was applied (it ran in one transaction)'
    : 'the statements before it stay applied; the next run resumes at this one';
  return {
    severity: 'error',
    code: 'migration/statement-failed',
    message: `${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ''}; ${statementsRun}`,
    hint:
      error.code === '55P03'
        ? 'the table stayed locked by other sessions through every retry: run again when traffic is lower, or raise the lock timeout'
        : `fix the statement and run 'opsbook migrate up' again`,
    location: { file: migration.file.display, ...parsed.position(offset) },
  };
}
