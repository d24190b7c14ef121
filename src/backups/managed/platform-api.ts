/**
 * The newest backup a platform reports, from its documented API:
 * - Supabase: `GET /v1/projects/{ref}/database/backups` (Management API, Bearer access token): daily backups with
 *   `status` and `inserted_at`, and with PITR on, `physical_backup_data.latest_physical_backup_date_unix`.
 * - Railway: the GraphQL `volumeInstanceBackupList(volumeInstanceId)` root field (the one Railway's CLI queries):
 *   the volume's backups with `createdAt`.
 * Render and Neon have no list of discrete backups (continuous point-in-time recovery), so a person confirms instead.
 */
import { ProviderError } from '../../errors.js';

export type ManagedPlatform = 'supabase' | 'railway' | 'render' | 'neon';

/** Platforms whose API lists backups; the others are confirmed by a person. */
export const API_PLATFORMS: readonly ManagedPlatform[] = ['supabase', 'railway'];

export interface PlatformContext {
  fetch: typeof fetch;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface PlatformBackup {
  /** The newest completed backup or restore point; undefined when the platform has none. */
  newestAt?: Date;
  /** How many completed backups the platform listed. */
  count: number;
}

const SUPABASE_API = 'https://api.supabase.com';
const RAILWAY_API = 'https://backboard.railway.com/graphql/v2';

async function call(
  platform: string,
  ctx: PlatformContext,
  url: string,
  init: RequestInit,
): Promise<unknown> {
  let res: Response;
  try {
    res = await ctx.fetch(url, { ...init, signal: ctx.signal ?? AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new ProviderError(platform, `${platform} API unreachable: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok)
    throw new ProviderError(
      platform,
      `${platform} API answered ${res.status}${res.status === 401 || res.status === 403 ? ' (check the token and its access to this project)' : ''}`,
      res.status,
      text.slice(0, 300),
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(platform, `${platform} API answered with something that is not JSON`, res.status);
  }
}

interface SupabaseBackups {
  pitr_enabled?: boolean;
  backups?: { status?: string; inserted_at?: string }[];
  physical_backup_data?: { latest_physical_backup_date_unix?: number };
}

async function supabase(ctx: PlatformContext, ref: string, token: string): Promise<PlatformBackup> {
  const base = ctx.env.OPSBOOK_SUPABASE_API_URL || SUPABASE_API;
  const body = (await call(
    'supabase',
    ctx,
    `${base}/v1/projects/${encodeURIComponent(ref)}/database/backups`,
    {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    },
  )) as SupabaseBackups;
  const done = (body.backups ?? []).filter((b) => b.status === 'COMPLETED' && b.inserted_at);
  const times = done.map((b) => Date.parse(b.inserted_at!)).filter((t) => !Number.isNaN(t));
  const pitr = body.physical_backup_data?.latest_physical_backup_date_unix;
  if (body.pitr_enabled && typeof pitr === 'number') times.push(pitr * 1000);
  return times.length ? { newestAt: new Date(Math.max(...times)), count: done.length } : { count: 0 };
}

const RAILWAY_QUERY = `query VolumeInstanceBackupList($volumeInstanceId: String!) {
  volumeInstanceBackupList(volumeInstanceId: $volumeInstanceId) { id name createdAt expiresAt }
}`;

async function railway(
  ctx: PlatformContext,
  volumeInstanceId: string,
  token: { value: string; projectToken: boolean },
): Promise<PlatformBackup> {
  const url = ctx.env.OPSBOOK_RAILWAY_API_URL || RAILWAY_API;
  // As Railway's CLI does: a project token (RAILWAY_TOKEN) has its own header, account and team tokens are Bearer.
  const auth: Record<string, string> = token.projectToken
    ? { 'project-access-token': token.value }
    : { authorization: `Bearer ${token.value}` };
  const body = (await call('railway', ctx, url, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: RAILWAY_QUERY,
      operationName: 'VolumeInstanceBackupList',
      variables: { volumeInstanceId },
    }),
  })) as { data?: { volumeInstanceBackupList?: { createdAt?: string }[] }; errors?: { message?: string }[] };
  // GraphQL reports errors in a 200.
  if (body.errors?.length)
    throw new ProviderError('railway', `railway API: ${body.errors.map((e) => e.message).join('; ')}`, 200);
  const list = body.data?.volumeInstanceBackupList;
  if (!Array.isArray(list))
    throw new ProviderError('railway', 'railway API returned no volumeInstanceBackupList', 200);
  const times = list.map((b) => Date.parse(b.createdAt ?? '')).filter((t) => !Number.isNaN(t));
  return times.length ? { newestAt: new Date(Math.max(...times)), count: times.length } : { count: 0 };
}

export function newestPlatformBackup(
  platform: ManagedPlatform,
  resource: string,
  token: { value: string; variable: string },
  ctx: PlatformContext,
): Promise<PlatformBackup> {
  if (platform === 'supabase') return supabase(ctx, resource, token.value);
  if (platform === 'railway')
    return railway(ctx, resource, { value: token.value, projectToken: token.variable === 'RAILWAY_TOKEN' });
  throw new Error(`${platform} has no backup list API`);
}
