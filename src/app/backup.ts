/** The backup use-cases: back up, list, verify by a restore drill, prune, confirm a managed backup, restore. */
import { currentActor } from '../actor/index.js';
import {
  type BackupContext,
  type BackupListing,
  type BackupRunSummary,
  backupList,
  backupPrune,
  backupRun,
  backupVerify,
  type Confirmation,
  confirmManagedBackup,
  findBackup,
  type ManagedStatus,
  managedStatus,
  type PruneResult,
  pickEntry,
  planRestore,
  type RestorePlan,
  type RestoreResult,
  resolveEntry,
  restoreBackup,
  splitId,
} from '../backups/index.js';
import { UserError } from '../errors.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';

export interface BackupOptions extends ConfigOptions {
  /** The backups: entry (default: the only one). */
  entry?: string;
  store?: Store;
}

async function withContext<T>(
  options: BackupOptions,
  work: (ctx: BackupContext & { store: Store }) => Promise<T>,
): Promise<T> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  return withStore(options.store, base, (store) => work({ ...base, config, store }));
}

/** A pg_dump streamed to the destination, then retention (unless `prune` is false). */
export function runBackup(options: BackupOptions & { prune?: boolean }): Promise<BackupRunSummary> {
  return withContext(options, (ctx) => backupRun(ctx, options.entry, options.prune ?? true));
}

/** The backups in the destination, or a managed backup's status as the platform reports it. */
export async function listBackups(
  options: BackupOptions,
): Promise<{ managed: false; backups: BackupListing[] } | { managed: true; status: ManagedStatus }> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const entry = pickEntry(config, options.entry);
  if (entry.managed) {
    const status = await withStore(options.store, base, (store) =>
      managedStatus(entry, { env: base.env, store, signal: base.signal }),
    );
    return { managed: true, status };
  }
  return { managed: false, backups: await backupList({ ...base, config }, options.entry) };
}

/** Restores a backup (`id`, or the entry's newest) into a scratch database and checks it. */
export function verifyBackup(options: BackupOptions & { id?: string }) {
  return withContext(options, (ctx) => backupVerify(ctx, options.id ?? options.entry));
}

export async function pruneBackups(options: BackupOptions & { dryRun?: boolean }): Promise<PruneResult> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  return backupPrune({ ...base, config }, options.entry, options.dryRun ?? false);
}

/** Records that a person checked the platform's managed backup. */
export function confirmBackup(
  options: BackupOptions & { at?: string; note?: string; by?: string },
): Promise<Confirmation> {
  return withContext(options, (ctx) =>
    confirmManagedBackup(pickEntry(ctx.config, options.entry), ctx.store, {
      by: options.by ?? currentActor(ctx.cwd, ctx.env),
      ...(options.at !== undefined ? { at: options.at } : {}),
      ...(options.note !== undefined ? { note: options.note } : {}),
    }),
  );
}

export interface RestoreOptions extends ConfigOptions {
  /** e.g. nightly/20261204T020000.000Z */
  id: string;
  targetUrl: string;
  dryRun?: boolean;
  forceProduction?: boolean;
  /** The target database's name, typed to confirm a restore over it. */
  confirmDatabase?: string;
  /** Asked with the plan before anything changes; false cancels. */
  confirm?: (plan: RestorePlan) => Promise<boolean>;
  store?: Store;
}

export type RestoreOutcome =
  | { status: 'planned'; plan: RestorePlan }
  | { status: 'ran'; result: RestoreResult };

export async function restoreFromBackup(options: RestoreOptions): Promise<RestoreOutcome> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const parts = splitId(options.id);
  if (!parts)
    throw new UserError(
      'backup restore needs a backup id such as nightly/20261204T020000.000Z',
      'see `opsbook backup list`',
    );
  const r = await resolveEntry({ ...base, config }, parts.entry);
  const found = await findBackup(r.destination, r.entry.id, options.id);
  if (!found)
    throw new UserError(`no backup ${options.id} in ${r.destination.describe}`, 'see `opsbook backup list`');
  const plan = await planRestore(found.manifest, options.targetUrl, r.url);
  if (options.dryRun) return { status: 'planned', plan };
  if (options.confirm && !(await options.confirm(plan)))
    throw new UserError('cancelled', 'nothing was changed');
  const result = await withStore(options.store, base, async (store) => {
    const res = await restoreBackup({
      plan,
      entry: r.entry,
      manifest: found.manifest,
      destination: r.destination,
      targetUrl: options.targetUrl,
      cwd: base.cwd,
      env: base.env,
      ...(r.passphrase !== undefined ? { passphrase: r.passphrase } : {}),
      forceProduction: options.forceProduction ?? false,
      ...(options.confirmDatabase ? { confirmDatabase: options.confirmDatabase } : {}),
    });
    const run = await store.createRun({ kind: 'backup-restore', summary: { entry: r.entry.id } });
    await store.updateRun(run.id, {
      status: res.ok ? 'succeeded' : 'failed',
      finishedAt: new Date().toISOString(),
      summary: JSON.parse(JSON.stringify(res)),
    });
    return res;
  });
  return { status: 'ran', result };
}
