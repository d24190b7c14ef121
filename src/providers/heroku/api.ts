/** Heroku Platform API shapes (api.heroku.com, version 3) and their mapping onto opsbook's deploys. */
import type { DeployState, ProviderDeploy } from '../types.js';

export const HEROKU_API_URL = 'https://api.heroku.com';
export const HEROKU_ACCEPT = 'application/vnd.heroku+json; version=3';

export interface HerokuBuild {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  source_blob: { url?: string; version?: string | null };
  release: { id: string } | null;
  output_stream_url?: string;
  created_at: string;
  updated_at?: string;
}

export interface HerokuRelease {
  id: string;
  version: number;
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  current: boolean;
  description?: string;
  output_stream_url?: string | null;
  created_at: string;
  updated_at?: string;
}

export interface HerokuDyno {
  name: string;
  type: string;
  state: 'up' | 'starting' | 'crashed' | 'down' | 'idle' | string;
  release?: { id: string; version: number };
}

function releaseState(release: HerokuRelease): DeployState {
  if (release.status === 'pending') return 'deploying';
  if (release.status === 'failed' || release.status === 'expired') return 'failed';
  return release.current ? 'live' : 'superseded';
}

/** A deploy seen through its build (and the release the build made, once it exists). */
export function fromBuild(build: HerokuBuild, release?: HerokuRelease): ProviderDeploy {
  const base = {
    id: build.id,
    createdAt: build.created_at,
    ...(build.source_blob.version ? { commit: build.source_blob.version } : {}),
    trigger: 'build',
  };
  if (build.status === 'pending') return { ...base, state: 'building' };
  if (build.status === 'failed') {
    return {
      ...base,
      state: 'failed',
      reason: 'the build failed; its output says why (heroku builds:output)',
    };
  }
  if (!release) return { ...base, state: 'deploying' };
  return { ...fromRelease(release), ...base };
}

export function fromRelease(release: HerokuRelease): ProviderDeploy {
  const state = releaseState(release);
  return {
    id: release.id,
    state,
    createdAt: release.created_at,
    version: `v${release.version}`,
    ...(release.description ? { trigger: release.description } : {}),
    ...(state === 'failed'
      ? {
          reason:
            release.status === 'expired'
              ? `release v${release.version} expired before its release phase ran`
              : `the release phase of v${release.version} failed; the deploy did not go live (heroku releases:output v${release.version})`,
        }
      : {}),
  };
}
