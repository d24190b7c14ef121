/**
 * Executes one migration file. A transactional file runs in one transaction together with its history row, so it is
 * either fully applied and recorded or not at all. A file with statements that cannot run in a transaction runs
 * statement by statement; each statement that can is still wrapped with its progress update, and the progress lets an
 * interrupted file resume at the first statement not yet recorded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbClient } from './db.js';
import { canRunInTransaction, type PgVersion } from './execution-mode.js';
import type { MigrationFile } from './files.js';
import { actor, historyTable, statementsChecksum } from './history.js';
import { prepareConcurrentIndex } from './invalid-index.js';
import type { SqlStatement } from './parse-sql.js';

export interface ApplySettings {
  schema: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  lockRetries: number;
  pg: PgVersion;
  backupRef?: string;
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
  | { ok: true; durationMs: number; skipped: number }
  | { ok: false; durationMs: number; failedStatement: SqlStatement | undefined; error: PgError };

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
  const started = Date.now();
  const error = await withLockRetries(s, async () => {
    await client.query('BEGIN');
    try {
      await setTimeouts(client, s, 'LOCAL');
      for (const stmt of input.statements) {
        current = stmt;
        await client.query(stmt.text);
      }
      current = undefined;
      await client.query(
        `INSERT INTO ${historyTable(s.schema)} (version, name, checksum, transactional, statements_total, statements_applied,
           finished_at, duration_ms, applied_by, backup_ref) VALUES ($1, $2, $3, true, $4, $4, now(), $5, $6, $7)`,
        [
          input.file.version,
          input.file.name,
          input.file.checksum,
          input.statements.length,
          Date.now() - started,
          actor(),
          s.backupRef ?? null,
        ],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
  return error ? { ok: false as const, failedStatement: current, error } : { ok: true as const, skipped: 0 };
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
  const progress = `UPDATE ${table} SET statements_applied = $2, applied_checksum = $3 WHERE version = $1`;
  const appliedChecksum = (count: number) =>
    statementsChecksum(statements.slice(0, count).map((x) => x.text));
  let skipped = 0;
  for (let i = input.resumeFrom; i < statements.length; i++) {
    const stmt = statements[i] as SqlStatement;
    s.onProgress?.(`${file.display}: statement ${i + 1} of ${statements.length}`);
    const error = await withLockRetries(s, async () => {
      if (canRunInTransaction(stmt, s.pg)) {
        await client.query('BEGIN');
        try {
          await setTimeouts(client, s, 'LOCAL');
          await client.query(stmt.text);
          await client.query(progress, [file.version, i + 1, appliedChecksum(i + 1)]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
        return;
      }
      await setTimeouts(client, s, 'SESSION');
      // The first statement of a resumed run may have completed just before the previous runner died.
      const done = await prepareConcurrentIndex(client, stmt, i === input.resumeFrom && input.resumeFrom > 0);
      if (done) skipped++;
      else await client.query(stmt.text);
      await client.query(progress, [file.version, i + 1, appliedChecksum(i + 1)]);
    });
    if (error) {
      await client
        .query(`UPDATE ${table} SET last_error = $2 WHERE version = $1`, [file.version, error.message])
        .catch(() => {});
      return { ok: false as const, failedStatement: stmt, error };
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
      const wait = Math.min(30_000, 500 * 2 ** attempt);
      s.onProgress?.(
        `lock_timeout hit (${e.message}); retry ${attempt + 1} of ${s.lockRetries} in ${wait} ms`,
      );
      await sleep(wait);
    }
  }
}
