/**
 * `backup restore`: a backup into a named target database. The production database (the one the entry backs up)
 * is refused unless forced and confirmed by typing its name; a target that already holds tables gets a safety
 * backup first, then is cleaned and restored.
 */
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { maskCredentials } from '../redact/index.js';
import type { Destination } from './destination.js';
import type { BackupEntry } from './entry.js';
import { localDestination } from './local-destination.js';
import { connect, databaseName, quoteIdent, sameDatabase, urlForDatabase } from './pg.js';
import { restoreArchive } from './restore-archive.js';
import { runBackup } from './run-backup.js';
import { compareTables, countTables } from './tables.js';
import type { BackupManifest } from './types.js';

export interface RestorePlan {
  backup: string;
  target: string;
  targetDatabase: string;
  isProduction: boolean;
  exists: boolean;
  /** User tables already in the target: a safety backup is taken and they are replaced. */
  existingTables: number;
}

export interface RestoreResult {
  plan: RestorePlan;
  ok: boolean;
  safetyBackup?: string;
  durationMs: number;
  problems: string[];
}

async function inspectTarget(targetUrl: string): Promise<{ exists: boolean; tables: number }> {
  const name = databaseName(targetUrl);
  const admin = await connect(urlForDatabase(targetUrl, 'postgres'), 'restore-inspect');
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rows.length) return { exists: false, tables: 0 };
  } finally {
    await admin.end().catch(() => {});
  }
  const client = await connect(targetUrl, 'restore-inspect');
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
    );
    return { exists: true, tables: Number(rows[0]?.n ?? 0) };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function planRestore(
  manifest: BackupManifest,
  targetUrl: string,
  sourceUrl: string | undefined,
): Promise<RestorePlan> {
  const target = await inspectTarget(targetUrl);
  return {
    backup: manifest.id,
    target: maskCredentials(targetUrl),
    targetDatabase: databaseName(targetUrl),
    isProduction: sourceUrl !== undefined && sameDatabase(targetUrl, sourceUrl),
    exists: target.exists,
    existingTables: target.tables,
  };
}

export async function restoreBackup(options: {
  plan: RestorePlan;
  entry: BackupEntry;
  manifest: BackupManifest;
  destination: Destination;
  targetUrl: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  passphrase?: string;
  forceProduction?: boolean;
  /** The target database's name typed by the user: required for production. */
  confirmDatabase?: string;
  now?: () => Date;
}): Promise<RestoreResult> {
  const { plan } = options;
  if (plan.isProduction) {
    if (!options.forceProduction)
      throw new UserError(
        `${plan.targetDatabase} is the production database that '${options.entry.id}' backs up`,
        'restore into another database, or pass --force-production and confirm by typing its name',
        'backup/restore-production',
      );
    if (options.confirmDatabase !== plan.targetDatabase)
      throw new UserError(
        `restoring over production needs its name typed: expected '${plan.targetDatabase}'`,
        `pass --confirm-database ${plan.targetDatabase} (or type it when asked)`,
        'backup/restore-production',
      );
  }
  const now = options.now ?? (() => new Date());
  const started = now();
  const done = (problems: string[], safetyBackup?: string): RestoreResult => ({
    plan,
    ok: problems.length === 0,
    ...(safetyBackup ? { safetyBackup } : {}),
    durationMs: now().getTime() - started.getTime(),
    problems,
  });
  let safety: string | undefined;
  if (!plan.exists) {
    const admin = await connect(urlForDatabase(options.targetUrl, 'postgres'), 'restore-create');
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(plan.targetDatabase)}`);
    } finally {
      await admin.end().catch(() => {});
    }
  } else if (plan.existingTables > 0) {
    const dir = join(options.cwd, '.opsbook', 'backups');
    const taken = await runBackup({
      entry: { ...options.entry, id: `safety-${plan.targetDatabase.replace(/[^\w-]/g, '_')}`.slice(0, 60) },
      url: options.targetUrl,
      destination: localDestination(dir),
      env: options.env,
      allowNoTables: true,
      // The entry encrypts its backups: its safety copies of data are encrypted with the same key, not left in clear.
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    });
    if (!taken.ok)
      return done([
        `the safety backup of ${plan.targetDatabase} failed, nothing was restored: ${taken.error}`,
      ]);
    safety = join(dir, taken.manifest.key);
  }
  const problems = await restoreArchive({
    manifest: options.manifest,
    destination: options.destination,
    targetUrl: options.targetUrl,
    env: options.env,
    clean: plan.existingTables > 0,
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
  });
  // With no table recorded, a clean pg_restore is all there is: "row counts match" would rest on nothing.
  if (!problems.length && !options.manifest.tables.length)
    problems.push(
      'nothing to compare: the backup recorded no tables, so the restore cannot show that any data came back',
    );
  else if (!problems.length) {
    const client = await connect(options.targetUrl, 'restore-count');
    try {
      problems.push(
        ...compareTables(options.manifest.tables, await countTables(client)).filter(
          (p) => !p.includes('appeared'),
        ),
      );
    } finally {
      await client.end().catch(() => {});
    }
  }
  return done(problems, safety);
}
