/** Vercel's REST shapes (api.vercel.com, per vercel/sdk's generated models) and their mapping onto opsbook's. */
import type { DeployState, ProviderDeploy } from '../types.js';

export const VERCEL_API_URL = 'https://api.vercel.com';
/** The largest `limit` the list endpoints take ([unverified]; the SDK documents no maximum). */
export const VERCEL_MAX_PAGE = 100;

export type VercelReadyState =
  | 'QUEUED'
  | 'INITIALIZING'
  | 'BUILDING'
  | 'READY'
  | 'ERROR'
  | 'CANCELED'
  | 'BLOCKED'
  | 'DELETED';

export interface VercelGitSource {
  type: string;
  ref?: string;
  sha?: string;
  repoId?: string | number;
  org?: string;
  repo?: string;
  projectId?: string | number;
  owner?: string;
  slug?: string;
}

/** GET /v13/deployments/{id} gives `id` and `readyState`; list items give `uid` and `state` as well. */
export interface VercelDeployment {
  id?: string;
  uid?: string;
  name?: string;
  url?: string;
  readyState?: VercelReadyState;
  state?: VercelReadyState;
  readySubstate?: 'STAGED' | 'ROLLING' | 'PROMOTED';
  target?: string | null;
  createdAt?: number;
  created?: number;
  ready?: number;
  source?: string;
  meta?: Record<string, string>;
  gitSource?: VercelGitSource;
  errorCode?: string;
  errorMessage?: string;
  isRollbackCandidate?: boolean;
  /** When the deployment's aliases were assigned (null until then). */
  aliasAssigned?: number | boolean | null;
}

export interface VercelAliasRequest {
  fromDeploymentId?: string;
  toDeploymentId: string;
  jobStatus: 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'skipped';
  requestedAt?: number;
  type?: 'promote' | 'rollback';
}

export interface VercelProject {
  id: string;
  name: string;
  lastAliasRequest?: VercelAliasRequest | null;
  /** The deployment production points at ([unverified] field of the project object). */
  targets?: { production?: { id?: string } | null } | null;
}

export interface VercelEvent {
  type: string;
  created: number;
  text?: string;
  payload?: { text?: string; date?: number };
}

export interface VercelEnvVar {
  id?: string;
  key: string;
  value?: string;
  type?: string;
  target?: string | string[];
  /** A preview value for one branch only; it wins over the preview value for all branches. */
  gitBranch?: string;
}

/**
 * The Vercel target an opsbook environment reads and writes: production and development by name, any other
 * environment (preview, staging, a branch's environment) is a Preview deployment.
 */
export function vercelTarget(environment: string): 'production' | 'preview' | 'development' {
  return environment === 'production' || environment === 'development' ? environment : 'preview';
}

export function deploymentId(deployment: VercelDeployment): string {
  return deployment.id ?? deployment.uid ?? '';
}

export function commitOf(deployment: VercelDeployment): string | undefined {
  const meta = deployment.meta ?? {};
  return meta.githubCommitSha ?? meta.gitlabCommitSha ?? meta.bitbucketCommitSha ?? deployment.gitSource?.sha;
}

/**
 * READY alone does not say a production deployment serves: `serving` (the deployment the production alias
 * points at, when known) does. Another READY production deployment was replaced (its aliases moved away), or
 * is still waiting for them (aliasAssigned not set yet).
 */
function stateOf(deployment: VercelDeployment, serving: string | undefined): DeployState {
  switch (deployment.readyState ?? deployment.state) {
    case 'QUEUED':
      return 'queued';
    case 'INITIALIZING':
    case 'BUILDING':
      return 'building';
    case 'READY': {
      // Built but not yet serving production (promotion pending, or inside a rolling release).
      if (deployment.readySubstate === 'STAGED' || deployment.readySubstate === 'ROLLING') return 'deploying';
      if (
        serving === undefined ||
        deployment.target !== 'production' ||
        serving === deploymentId(deployment)
      ) {
        return 'live';
      }
      const assigned = deployment.aliasAssigned;
      return assigned === null || assigned === false || assigned === 0 ? 'deploying' : 'superseded';
    }
    case 'ERROR':
    case 'BLOCKED':
      return 'failed';
    default:
      return 'canceled';
  }
}

export function toProviderDeploy(deployment: VercelDeployment, serving?: string): ProviderDeploy {
  const state = stateOf(deployment, serving);
  const created = deployment.createdAt ?? deployment.created ?? 0;
  const commit = commitOf(deployment);
  const reason =
    state === 'failed'
      ? (deployment.errorMessage ??
        deployment.errorCode ??
        `Vercel reports ${deployment.readyState ?? deployment.state}`)
      : undefined;
  return {
    id: deploymentId(deployment),
    state,
    ...(commit ? { commit } : {}),
    ...(deployment.source ? { trigger: deployment.source } : {}),
    createdAt: new Date(created).toISOString(),
    ...(deployment.ready && state !== 'queued' && state !== 'building'
      ? { finishedAt: new Date(deployment.ready).toISOString() }
      : {}),
    ...(deployment.url ? { url: `https://${deployment.url}` } : {}),
    ...(reason ? { reason } : {}),
  };
}
