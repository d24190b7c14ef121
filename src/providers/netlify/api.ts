/** Netlify API shapes (api.netlify.com/api/v1, per netlify/open-api and netlify/cli) and their mapping. */
import type { DeployState, ProviderDeploy } from '../types.js';

export const NETLIFY_API_URL = 'https://api.netlify.com/api/v1';

export interface NetlifyDeploy {
  id: string;
  site_id: string;
  state: string;
  commit_ref?: string | null;
  branch?: string;
  context?: string;
  error_message?: string | null;
  created_at: string;
  updated_at?: string;
  published_at?: string | null;
  deploy_ssl_url?: string;
  title?: string | null;
  locked?: boolean | null;
}

export interface NetlifySite {
  id: string;
  name: string;
  account_id: string;
  ssl_url?: string;
  published_deploy?: (NetlifyDeploy & { locked?: boolean | null }) | null;
}

export interface NetlifyBuild {
  id: string;
  deploy_id: string;
  sha?: string | null;
  done: boolean;
  error?: string | null;
  created_at: string;
}

export interface NetlifyEnvVar {
  key: string;
  values: { id?: string; value: string; context: string }[];
  is_secret?: boolean;
}

const BUILDING = new Set(['new', 'enqueued', 'building', 'retrying', 'pending']);

/**
 * `ready` is not `published`: a ready deploy serves only when it is the site's published deploy. One that is
 * ready while publishing is locked never goes live on its own, so it fails with the reason instead of waiting.
 */
export function toProviderDeploy(deploy: NetlifyDeploy, site: NetlifySite): ProviderDeploy {
  const published = site.published_deploy;
  let state: DeployState;
  let reason: string | undefined;
  if (deploy.state === 'ready') {
    if (published?.id === deploy.id) state = 'live';
    else if (
      deploy.published_at ||
      (published && Date.parse(published.created_at) > Date.parse(deploy.created_at))
    )
      state = 'superseded';
    else if (published?.locked) {
      state = 'failed';
      reason =
        'the deploy is ready but not published: auto publishing is locked on the site (opsbook unlock, or "Start auto publishing" in Netlify)';
    } else state = 'deploying';
  } else if (deploy.state === 'error') {
    const canceled = /cancel/i.test(deploy.error_message ?? '');
    state = canceled ? 'canceled' : 'failed';
    reason = deploy.error_message || 'the deploy failed';
  } else if (deploy.state === 'rejected' || deploy.state === 'skipped') {
    state = 'canceled';
    reason = `Netlify ${deploy.state} the deploy${deploy.error_message ? `: ${deploy.error_message}` : ''}`;
  } else state = BUILDING.has(deploy.state) ? 'building' : 'deploying';
  return {
    id: deploy.id,
    state,
    createdAt: deploy.created_at,
    ...(deploy.commit_ref ? { commit: deploy.commit_ref } : {}),
    ...(deploy.context ? { trigger: deploy.context } : {}),
    ...(deploy.deploy_ssl_url ? { url: deploy.deploy_ssl_url } : {}),
    ...(reason ? { reason } : {}),
  };
}
