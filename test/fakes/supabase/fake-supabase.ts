/**
 * A loopback Supabase Management API for tests: `GET /v1/projects/{ref}/database/backups` as documented (Bearer
 * access token; `region`, `pitr_enabled`, `walg_enabled`, `backups[]` with `is_physical_backup`, `status` and
 * `inserted_at`, and `physical_backup_data` with PITR), 401 for a wrong token, 404 for an unknown project.
 */
import { type FakePlatform, startFakePlatform } from '../fake-platform.js';

export interface FakeSupabaseBackup {
  is_physical_backup: boolean;
  status: 'COMPLETED' | 'FAILED' | 'PENDING' | 'REMOVED' | 'ARCHIVED' | 'CANCELLED';
  inserted_at: string;
}

export interface FakeSupabaseProject {
  ref: string;
  pitrEnabled?: boolean;
  /** Unix seconds of the newest PITR restore point, when PITR is on. */
  latestPitr?: number;
  backups: FakeSupabaseBackup[];
}

export async function startFakeSupabase(options: {
  token: string;
  projects: FakeSupabaseProject[];
}): Promise<FakePlatform> {
  return startFakePlatform({
    authorize: (req) =>
      req.headers.authorization === `Bearer ${options.token}`
        ? undefined
        : { status: 401, body: { message: 'Unauthorized' } },
    rateLimited: (seconds) => ({
      status: 429,
      body: { message: 'Too many requests' },
      headers: { 'retry-after': String(seconds) },
    }),
    route: (req) => {
      const m = /^\/v1\/projects\/([^/]+)\/database\/backups$/.exec(req.path);
      if (req.method !== 'GET' || !m) return { status: 404, body: { message: 'Not Found' } };
      const project = options.projects.find((p) => p.ref === decodeURIComponent(m[1]!));
      if (!project) return { status: 404, body: { message: 'Project not found' } };
      return {
        status: 200,
        body: {
          region: 'us-east-1',
          walg_enabled: true,
          pitr_enabled: project.pitrEnabled ?? false,
          backups: project.backups,
          physical_backup_data: project.pitrEnabled
            ? {
                earliest_physical_backup_date_unix: (project.latestPitr ?? 0) - 7 * 86400,
                latest_physical_backup_date_unix: project.latestPitr,
              }
            : {},
        },
      };
    },
  });
}
