/** Backups the platform takes (`managed: true`): their newest backup from the platform API, or a person's confirmation. */
import { UserError } from '../../errors.js';
import { printable } from '../../output/index.js';
import type { Store } from '../../store/index.js';
import type { BackupEntry } from '../entry.js';
import { readSecret } from '../open-destination.js';
import { type Confirmation, latestConfirmation, recordConfirmation } from './confirmations.js';
import { API_PLATFORMS, type ManagedPlatform, newestPlatformBackup } from './platform-api.js';

export type { Confirmation } from './confirmations.js';
export { API_PLATFORMS, type ManagedPlatform } from './platform-api.js';

export interface ManagedContext {
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  store?: Store;
  signal?: AbortSignal;
}

export interface ManagedStatus {
  entry: string;
  platform?: ManagedPlatform;
  source: 'platform-api' | 'confirmation';
  /** The newest backup known; undefined when there is none (never a guess). */
  newestAt?: string;
  /** Backups the platform listed. */
  count?: number;
  confirmation?: Confirmation;
}

const usesApi = (entry: BackupEntry) =>
  entry.platform !== undefined && API_PLATFORMS.includes(entry.platform);

export async function managedStatus(entry: BackupEntry, ctx: ManagedContext): Promise<ManagedStatus> {
  if (usesApi(entry)) {
    const platform = entry.platform!;
    if (!entry.resource || !entry.token)
      throw new UserError(
        `backup '${entry.id}' on ${platform} needs resource and token to ask its API`,
        platform === 'supabase'
          ? 'resource: the project ref; token: { env: SUPABASE_ACCESS_TOKEN }'
          : 'resource: the volume instance id; token: { env: RAILWAY_API_TOKEN }',
      );
    const token = { value: readSecret(entry.token, ctx.env, 'token')!, variable: entry.token.env };
    const found = await newestPlatformBackup(platform, entry.resource, token, {
      fetch: ctx.fetch ?? fetch,
      env: ctx.env,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return {
      entry: entry.id,
      platform,
      source: 'platform-api',
      count: found.count,
      ...(found.newestAt ? { newestAt: found.newestAt.toISOString() } : {}),
    };
  }
  const confirmation = ctx.store ? await latestConfirmation(ctx.store, entry.id) : undefined;
  return {
    entry: entry.id,
    ...(entry.platform ? { platform: entry.platform } : {}),
    source: 'confirmation',
    ...(confirmation ? { newestAt: confirmation.backupAt, confirmation } : {}),
  };
}

/** `backup confirm`: a person says the platform's newest backup exists and when it was taken. */
export async function confirmManagedBackup(
  entry: BackupEntry,
  store: Store,
  options: { by: string; at?: string; note?: string; now?: Date },
): Promise<Confirmation> {
  if (!entry.managed)
    throw new UserError(
      `backup '${entry.id}' is taken by opsbook, not the platform`,
      'its evidence is `opsbook backup run` and `backup verify`; confirm only managed: true entries',
    );
  if (usesApi(entry))
    throw new UserError(
      `backup '${entry.id}' is checked through the ${entry.platform} API: there is nothing to confirm by hand`,
      'see `opsbook backup list` for the newest backup the platform reports',
    );
  const now = options.now ?? new Date();
  const at = options.at === undefined ? now : new Date(options.at);
  if (Number.isNaN(at.getTime()))
    throw new UserError(`--at '${options.at}' is not a date`, 'use ISO 8601, e.g. 2026-12-04T02:00:00Z');
  if (at.getTime() > now.getTime() + 60_000)
    throw new UserError(`--at ${at.toISOString()} is in the future`, 'give the time the backup was taken');
  return recordConfirmation(store, {
    entry: entry.id,
    backupAt: at.toISOString(),
    confirmedAt: now.toISOString(),
    by: options.by,
    // Shown later to others (backup list): an escape sequence pasted into the note is kept as \xNN.
    ...(options.note ? { note: printable(options.note) } : {}),
  });
}
