/** Render's REST shapes (api.render.com/v1, per render-oss/cli's generated client) and their mapping onto opsbook's. */
import { ProviderError } from '../../errors.js';
import type { DeployState, ProviderDeploy } from '../types.js';

export const RENDER_API_URL = 'https://api.render.com/v1';
/** Render's list endpoints take `limit` up to 100 (the maximum is [unverified]; 20 is the default). */
export const RENDER_MAX_PAGE = 100;

export type RenderDeployStatus =
  | 'created'
  | 'queued'
  | 'build_in_progress'
  | 'update_in_progress'
  | 'pre_deploy_in_progress'
  | 'live'
  | 'deactivated'
  | 'build_failed'
  | 'update_failed'
  | 'pre_deploy_failed'
  | 'canceled';

export interface RenderDeploy {
  id: string;
  status: RenderDeployStatus;
  trigger?: string;
  commit?: { id: string; message?: string; createdAt?: string };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt?: string;
}

export interface RenderService {
  id: string;
  name: string;
  ownerId: string;
  autoDeploy?: 'yes' | 'no';
  serviceDetails?: { url?: string };
}

export interface RenderLog {
  id: string;
  timestamp: string;
  message: string;
  labels?: { name: string; value: string }[];
}

export interface RenderLogsResponse {
  logs: RenderLog[];
  hasMore: boolean;
  nextStartTime?: string;
  nextEndTime?: string;
}

const STATES: Record<RenderDeployStatus, DeployState> = {
  created: 'queued',
  queued: 'queued',
  build_in_progress: 'building',
  pre_deploy_in_progress: 'deploying',
  update_in_progress: 'deploying',
  live: 'live',
  // Render's CLI counts `deactivated` as success: it was live and a newer deploy replaced it.
  deactivated: 'superseded',
  build_failed: 'failed',
  pre_deploy_failed: 'failed',
  update_failed: 'failed',
  canceled: 'canceled',
};

const REASONS: Partial<Record<RenderDeployStatus, string>> = {
  build_failed: 'the build failed (build_failed); the build logs say why',
  pre_deploy_failed: 'the pre-deploy command failed (pre_deploy_failed)',
  update_failed: 'the new instances did not become healthy (update_failed)',
  canceled: 'the deploy was canceled',
};

export function toProviderDeploy(deploy: RenderDeploy): ProviderDeploy {
  const state = STATES[deploy.status];
  if (!state) {
    throw new ProviderError(
      'render',
      `render: deploy ${deploy.id} has a status opsbook does not know: '${deploy.status}'`,
    );
  }
  return {
    id: deploy.id,
    state,
    ...(deploy.commit?.id ? { commit: deploy.commit.id } : {}),
    ...(deploy.trigger ? { trigger: deploy.trigger } : {}),
    createdAt: deploy.createdAt,
    ...(deploy.finishedAt ? { finishedAt: deploy.finishedAt } : {}),
    ...(REASONS[deploy.status] ? { reason: REASONS[deploy.status] } : {}),
  };
}
