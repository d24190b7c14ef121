/**
 * The backup operations as the CLI and `serve` call them: resolve the entry's database URL, destination and key
 * from the config and environment, run the operation, and record it as a run in the state store (the evidence).
 */
import type { StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { credentialPassword, type Redactor } from '../redact/index.js';
import type { Store } from '../store/index.js';
import type { Destination } from './destination.js';
import { type BackupEntry, pickEntry } from './entry.js';
import { splitId } from './keys.js';
import { findBackup, listBackups } from './list.js';
import { openDestination, readSecret } from './open-destination.js';
import { requirePostgresUrl } from './pg.js';
import { type PruneResult, pruneBackups } from './prune.js';
import { type RunBackupResult, runBackup } from './run-backup.js';
import type { BackupListing, VerifyRecord } from './types.js';
import { verifyBackup } from './verify-backup.js';

export interface BackupContext {
  cwd: string;
  config: StackConfig;
  env: NodeJS.ProcessEnv;
  store?: Store;
  redactor?: Redactor;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface Resolved {
  entry: BackupEntry;
  url: string;
  destination: Destination;
  passphrase?: string;
}

/** An entry opsbook backs up itself (a managed one is the platform's). */
function ownEntry(ctx: BackupContext, name: string | undefined): BackupEntry {
  const entry = pickEntry(ctx.config, name);
  if (entry.managed)
    throw new UserError(
      `backup '${entry.id}' is managed by the platform`,
      'opsbook checks its age instead: see `opsbook backup list`',
    );
  return entry;
}

/** The entry and where its backups are: all that list and prune read. They never connect to the database. */
async function resolveStorage(ctx: BackupContext, name: string | undefined) {
  const entry = ownEntry(ctx, name);
  return { entry, destination: await openDestination(entry, ctx) };
}

export async function resolveEntry(ctx: BackupContext, name: string | undefined): Promise<Resolved> {
  const entry = ownEntry(ctx, name);
  const url = requirePostgresUrl(ctx.env[entry.urlEnv], entry.urlEnv);
  ctx.redactor?.add([credentialPassword(url)]);
  const destination = await openDestination(entry, ctx);
  const passphrase = entry.encryption
    ? readSecret(entry.encryption.key, ctx.env, 'encryption.key')
    : undefined;
  ctx.redactor?.add([passphrase]);
  return { entry, url, destination, ...(passphrase !== undefined ? { passphrase } : {}) };
}

async function record<T>(
  ctx: BackupContext,
  kind: string,
  entry: string,
  work: () => Promise<{ ok: boolean; summary: T }>,
): Promise<T> {
  const run = await ctx.store?.createRun({ kind, summary: { entry } });
  try {
    const { ok, summary } = await work();
    if (run)
      await ctx.store?.updateRun(run.id, {
        status: ok ? 'succeeded' : 'failed',
        finishedAt: new Date().toISOString(),
        summary: JSON.parse(JSON.stringify({ entry, ...summary })),
      });
    return summary;
  } catch (error) {
    if (run)
      await ctx.store?.updateRun(run.id, {
        status: 'failed',
        finishedAt: new Date().toISOString(),
        summary: { entry, error: (error as Error).message },
      });
    throw error;
  }
}

export interface BackupRunSummary {
  result: RunBackupResult;
  prune?: PruneResult;
  /** Retention could not be applied after the backup succeeded: old backups were not (all) removed. */
  pruneError?: string;
}

/** One backup, then retention applied (only after a success, so a failing job never eats old backups). */
export async function backupRun(ctx: BackupContext, name?: string, prune = true): Promise<BackupRunSummary> {
  const r = await resolveEntry(ctx, name);
  return record(ctx, 'backup', r.entry.id, async () => {
    const result = await runBackup({
      entry: r.entry,
      url: r.url,
      destination: r.destination,
      env: ctx.env,
      ...(r.passphrase !== undefined ? { passphrase: r.passphrase } : {}),
      ...(ctx.now ? { now: ctx.now } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    // A prune that fails does not undo the backup: the run stays a success (the evidence a backup exists), and the
    // failure is kept beside it. Thrown, it recorded the run as failed and hid the backup that had been taken.
    let pruned: PruneResult | undefined;
    let pruneError: string | undefined;
    if (result.ok && prune)
      try {
        pruned = await pruneBackups({
          entry: r.entry,
          destination: r.destination,
          dryRun: false,
          ...(ctx.now ? { now: ctx.now() } : {}),
        });
      } catch (error) {
        pruneError = (error as Error).message;
      }
    return {
      ok: result.ok,
      summary: { result, ...(pruned ? { prune: pruned } : {}), ...(pruneError ? { pruneError } : {}) },
    };
  });
}

export async function backupList(ctx: BackupContext, name?: string): Promise<BackupListing[]> {
  const r = await resolveStorage(ctx, name);
  return listBackups(r.destination, r.entry.id);
}

/** `target` is an entry name, a backup id (`entry/stamp`), or nothing (the only entry's newest backup). */
export async function backupVerify(ctx: BackupContext, target?: string): Promise<VerifyRecord> {
  const parts = target ? splitId(target) : undefined;
  // Entry names have no slash: `nightly/2026-12-04` was read as an entry and answered "no backup 'nightly/...'".
  if (target?.includes('/') && !parts)
    throw new UserError(
      `'${target}' is not a backup id`,
      'give ENTRY/STAMP as `opsbook backup list` shows it, e.g. nightly/20261204T020000.000Z, or just the entry for its newest backup',
    );
  const r = await resolveEntry(ctx, parts ? parts.entry : target);
  const found = await findBackup(r.destination, r.entry.id, parts ? target : undefined);
  if (!found)
    throw new UserError(
      parts
        ? `no backup ${target} in ${r.destination.describe}`
        : `no backups of '${r.entry.id}' yet in ${r.destination.describe}`,
      parts ? 'see `opsbook backup list`' : 'run `opsbook backup run` first',
    );
  const serverEnv = r.entry.verify?.serverUrlEnv;
  const serverUrl = serverEnv ? requirePostgresUrl(ctx.env[serverEnv], serverEnv) : undefined;
  ctx.redactor?.add([serverUrl ? credentialPassword(serverUrl) : undefined]);
  return record(ctx, 'backup-verify', r.entry.id, async () => {
    const v = await verifyBackup({
      entry: r.entry,
      manifest: found.manifest,
      destination: r.destination,
      sourceUrl: r.url,
      env: ctx.env,
      ...(serverUrl ? { serverUrl } : {}),
      ...(r.passphrase !== undefined ? { passphrase: r.passphrase } : {}),
      ...(ctx.now ? { now: ctx.now } : {}),
    });
    return { ok: v.ok, summary: v };
  });
}

export async function backupPrune(
  ctx: BackupContext,
  name: string | undefined,
  dryRun: boolean,
): Promise<PruneResult> {
  const r = await resolveStorage(ctx, name);
  return pruneBackups({
    entry: r.entry,
    destination: r.destination,
    dryRun,
    ...(ctx.now ? { now: ctx.now() } : {}),
  });
}

export { record as recordRun };
