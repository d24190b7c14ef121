/**
 * Executes one migration file. A transactional file runs in one transaction together with its history row, so it is
 * either fully applied and recorded or not at all. A file with statements that cannot run in a transaction runs
 * statement by statement; each statement that can is still wrapped with its progress update, and the progress lets an
 * interrupted file resume at the first statement not yet recorded.
 *
 * The history write comes first in each transaction and is conditional (insert-if-absent, or advance-progress-if-
 * unchanged), so its row lock orders two runners: should the migration lock ever be lost while a runner is mid-file,
 * the second one waits for the first one's commit and then sees the work done, instead of applying it again.
 */

import { backoffDelay, sleep } from '../timing/index.js';
import type { DbClient } from './db.js';
import { canRunInTransaction, type PgVersion } from './execution-mode.js';
import type { MigrationFile } from './files.js';
import { actor, historyTable, statementsChecksum } from './history.js';
import { prepareConcurrentIndex } from './invalid-index.js';
import type { MigrationLock } from './lock.js';
import type { SqlStatement } from './parse-sql.js';

export interface ApplySettings {
  schema: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  lockRetries: number;
  pg: PgVersion;
  backupRef?: string;
  /** Confirmed before each statement that runs outside a transaction. */
  lock?: MigrationLock;
  /** Checked between the statements of a statement-by-statement file: Ctrl-C stops there, resumable. */
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface ApplyInput {
  file: MigrationFile;
  transactional: boolean;
  statements: readonly SqlStatement[];
  /** Statements already applied by an interrupted run (statement-by-statement files only). */
  resumeFrom: number;
}

export type ApplyOutcome =
  | { ok: true; durationMs: number; skipped: number; appliedElsewhere?: boolean }
  | {
      ok: false;
      durationMs: number;
      failedStatement: SqlStatement | undefined;
      error: PgError;
      /** Statements of a statement-by-statement file recorded as applied when it stopped. */
      appliedStatements?: number;
    };

/** Ctrl-C (or SIGTERM) between two statements of a statement-by-statement file. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor() {
    super('interrupted');
  }
}

/** The migration lock turned out to be gone; nothing more may run. */
export class LockLostError extends Error {
  override name = 'LockLostError';
}

export interface PgError extends Error {
  code?: string;
  position?: string;
}

const LOCK_NOT_AVAILABLE = '55P03';

export async function applyFile(
  client: DbClient,
  input: ApplyInput,
  settings: ApplySettings,
): Promise<ApplyOutcome> {
  const started = Date.now();
  const result = input.transactional
    ? await applyInTransaction(client, input, settings)
    : await applyStatementByStatement(client, input, settings);
  return { ...result, durationMs: Date.now() - started };
}

async function applyInTransaction(client: DbClient, input: ApplyInput, s: ApplySettings) {
  let current: SqlStatement | undefined;
  let appliedElsewhere = false;
  const started = Date.now();
  const table = historyTable(s.schema);
  const error = await withLockRetries(s, async () => {
    await client.query('BEGIN');
    try {
      await setTimeouts(client, s, 'LOCAL');
      const claimed = await client.query(
        `INSERT INTO ${table} (version, name, checksum, transactional, statements_total, statements_applied,
           applied_by, backup_ref) VALUES ($1, $2, $3, true, $4, $4, $5, $6) ON CONFLICT (version) DO NOTHING`,
        [
          input.file.version,
          input.file.name,
          input.file.checksum,
          input.statements.length,
          actor(),
          s.backupRef ?? null,
        ],
      );
      if (claimed.rowCount === 0) {
        appliedElsewhere = true;
        await client.query('ROLLBACK');
        return;
      }
      for (const stmt of input.statements) {
        current = stmt;
        await client.query(stmt.text);
      }
      current = undefined;
      await client.query(`UPDATE ${table} SET finished_at = now(), duration_ms = $2 WHERE version = $1`, [
        input.file.version,
        Date.now() - started,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
  return error
    ? { ok: false as const, failedStatement: current, error }
    : { ok: true as const, skipped: 0, appliedElsewhere };
}

async function applyStatementByStatement(client: DbClient, input: ApplyInput, s: ApplySettings) {
  const table = historyTable(s.schema);
  const { file, statements } = input;
  const started = Date.now();
  await client.query(
    `INSERT INTO ${table} (version, name, checksum, transactional, statements_total, statements_applied, applied_by, backup_ref)
     VALUES ($1, $2, $3, false, $4, 0, $5, $6)
     ON CONFLICT (version) DO UPDATE SET last_error = NULL, checksum = EXCLUDED.checksum,
       statements_total = EXCLUDED.statements_total, backup_ref = coalesce(EXCLUDED.backup_ref, ${table}.backup_ref)`,
    [file.version, file.name, file.checksum, statements.length, actor(), s.backupRef ?? null],
  );
  // Advances only from the count this runner read, so a second runner cannot record (or run) a statement twice.
  const advance = `UPDATE ${table} SET statements_applied = $2, applied_checksum = $3 WHERE version = $1 AND statements_applied = $4`;
  const appliedChecksum = (count: number) =>
    statementsChecksum(statements.slice(0, count).map((x) => x.text));
  let skipped = 0;
  for (let i = input.resumeFrom; i < statements.length; i++) {
    const stmt = statements[i] as SqlStatement;
    // The statements before stay recorded as applied, so the next run resumes at this one.
    if (s.signal?.aborted)
      return {
        ok: false as const,
        failedStatement: stmt,
        error: new InterruptedError(),
        appliedStatements: i,
      };
    s.onProgress?.(`${file.display}: statement ${i + 1} of ${statements.length}`);
    let done = false;
    const error = await withLockRetries(s, async () => {
      const lost = await s.lock?.confirm(client);
      if (lost) throw new LockLostError(lost);
      if (canRunInTransaction(stmt, s.pg)) {
        await client.query('BEGIN');
        try {
          await setTimeouts(client, s, 'LOCAL');
          const claimed = await client.query(advance, [file.version, i + 1, appliedChecksum(i + 1), i]);
          if (claimed.rowCount === 0) {
            await client.query('ROLLBACK');
            done = true;
            return;
          }
          await client.query(stmt.text);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
        return;
      }
      await setTimeouts(client, s, 'SESSION');
      // The first statement of a resumed run may have completed just before the previous runner died.
      const already = await prepareConcurrentIndex(
        client,
        stmt,
        i === input.resumeFrom && input.resumeFrom > 0,
      );
      if (already) skipped++;
      else await client.query(stmt.text);
      await client.query(advance, [file.version, i + 1, appliedChecksum(i + 1), i]);
    });
    if (done) {
      // Another runner recorded this statement meanwhile (the lock was lost): continue after what it recorded.
      const { rows } = await client.query<{ n: number }>(
        `SELECT statements_applied AS n FROM ${table} WHERE version = $1`,
        [file.version],
      );
      const recorded = rows[0]?.n ?? 0;
      if (recorded <= i) {
        return {
          ok: false as const,
          failedStatement: stmt,
          error: new Error('the history row changed under this run') as PgError,
          appliedStatements: recorded,
        };
      }
      s.onProgress?.(`${file.display}: statements up to ${recorded} were applied by another runner`);
      i = recorded - 1;
      continue;
    }
    if (error) {
      await client
        .query(`UPDATE ${table} SET last_error = $2 WHERE version = $1`, [file.version, error.message])
        .catch(() => {});
      return { ok: false as const, failedStatement: stmt, error, appliedStatements: i };
    }
  }
  await client.query(
    `UPDATE ${table} SET finished_at = now(), duration_ms = coalesce(duration_ms, 0) + $2 WHERE version = $1`,
    [file.version, Date.now() - started],
  );
  return { ok: true as const, skipped };
}

async function setTimeouts(client: DbClient, s: ApplySettings, scope: 'LOCAL' | 'SESSION'): Promise<void> {
  await client.query(`SET ${scope} lock_timeout = ${Math.max(0, Math.floor(s.lockTimeoutMs))}`);
  await client.query(`SET ${scope} statement_timeout = ${Math.max(0, Math.floor(s.statementTimeoutMs))}`);
}

/** Runs `work`, retrying with backoff while it fails on lock_timeout; resolves to the final error, if any. */
async function withLockRetries(s: ApplySettings, work: () => Promise<void>): Promise<PgError | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      await work();
      return undefined;
    } catch (error) {
      const e = error as PgError;
      if (e.code !== LOCK_NOT_AVAILABLE || attempt >= s.lockRetries) return e;
      const wait = backoffDelay(attempt + 1, { baseMs: 500, maxMs: 30_000 });
      s.onProgress?.(
        `lock_timeout hit (${e.message}); retry ${attempt + 1} of ${s.lockRetries} in ${wait} ms`,
      );
      await sleep(wait);
    }
  }
}
