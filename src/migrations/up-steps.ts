/** The steps of `migrate up` around a file: the pg_dump before a destructive one, and recording what happened. */
import type { Diagnostic } from '../diagnostics/index.js';
import { backupTargets } from './backup.js';
import { type DbClient, isConnectionError } from './db.js';
import { insertEvent } from './history.js';
import { HEARTBEAT } from './lock.js';
import { DEFAULTS, type MigrateOptions, recordEvent } from './options.js';
import type { PlannedMigration } from './plan.js';

/** `migrate up`'s options (up.ts), here so that the steps need not import the runner that imports them. */
export interface UpOptions extends MigrateOptions {
  /** Skip the pg_dump before destructive files; the reason is recorded. */
  noBackupReason?: string;
  /** Apply without linting (`migrate test` checks that files run, not that they are safe). */
  skipLint?: boolean;
}

export type BackupStep = { ok: true; path?: string } | { ok: false; diagnostic: Diagnostic };

/** `schema` is opsbook's history schema to record in; undefined when an engine keeps the history. */
export async function backupBefore(
  client: DbClient,
  url: string,
  migration: PlannedMigration,
  options: UpOptions,
  schema: string | undefined,
): Promise<BackupStep> {
  if (!migration.destructive.length || migration.resumeFrom > 0) return { ok: true };
  if (options.noBackupReason) {
    const message = `no backup before ${migration.file.display}: ${options.noBackupReason}`;
    await record(client, schema, options, 'backup-skipped', migration.version, message, {
      reason: options.noBackupReason,
    });
    return { ok: true };
  }
  options.onProgress?.(
    `backing up ${migration.destructive.map((t) => t.object).join(', ')} before ${migration.file.display}`,
  );
  const outcome = await keepingAlive(client, () =>
    backupTargets({
      client,
      databaseUrl: url,
      targets: migration.destructive,
      backupsDir: options.backupsDir ?? DEFAULTS.backupsDir,
      cwd: options.cwd,
      label: `${migration.version}_${migration.name}`,
    }),
  );
  if (!outcome.ok) {
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: 'migration/backup-failed',
        message: `the pg_dump backup before ${migration.file.display} failed: ${outcome.error}`,
        hint: 'fix pg_dump (it must be at least the server version), or pass --no-backup --reason "..." to go on without one',
        location: { file: migration.file.display },
      },
    };
  }
  if (outcome.backup) {
    await record(
      client,
      schema,
      options,
      'backup',
      migration.version,
      `backed up to ${outcome.backup.path}`,
      outcome.backup,
    );
  }
  return { ok: true, path: outcome.backup?.path };
}

/**
 * pg_dump of a large table runs for minutes while the run connection waits unused: beat on it, as on the lock's, so
 * idle_session_timeout (or a pooler's idle limit) does not close it and fail the file right after its backup.
 */
async function keepingAlive<T>(client: DbClient, work: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ idle: string }>(
    "SELECT setting AS idle FROM pg_settings WHERE name = 'idle_session_timeout'",
  );
  const idleMs = Number(rows[0]?.idle ?? 0);
  const interval =
    idleMs > 0 ? Math.max(100, Math.min(HEARTBEAT.intervalMs, Math.floor(idleMs / 3))) : HEARTBEAT.intervalMs;
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    client
      .query('SELECT 1')
      .catch(() => {})
      .finally(() => {
        beating = false;
      });
  }, interval);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

export async function record(
  client: DbClient,
  schema: string | undefined,
  options: MigrateOptions,
  type: string,
  version: string,
  message: string,
  data: unknown,
): Promise<void> {
  // The journal hears about it even when the database connection is the thing that failed.
  if (schema !== undefined) {
    await insertEvent(client, schema, { type, version, message, data }).catch((error) => {
      if (!isConnectionError(error)) throw error;
    });
  }
  await recordEvent(options, { type: `migration.${type}`, message, data });
}
