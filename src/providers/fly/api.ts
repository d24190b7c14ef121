/**
 * Fly.io shapes: the Machines API (api.machines.dev/v1) and the release history in Fly's GraphQL API
 * (api.fly.io/graphql), per superfly/docs and superfly/fly-go, and their mapping onto opsbook's deploys.
 */
import type { DeployState, ProviderDeploy } from '../types.js';

export const FLY_MACHINES_URL = 'https://api.machines.dev';
export const FLY_API_URL = 'https://api.fly.io';

export interface FlyCheck {
  name: string;
  status: 'passing' | 'warning' | 'critical';
  output?: string;
}

export interface FlyMachineConfig {
  image: string;
  env?: Record<string, string>;
  metadata?: Record<string, string>;
  [key: string]: unknown;
}

export interface FlyMachine {
  id: string;
  name?: string;
  state: string;
  region?: string;
  instance_id?: string;
  config: FlyMachineConfig;
  checks?: FlyCheck[];
}

/** flyctl records releases itself when it deploys Machines; opsbook does the same. */
export type FlyReleaseStatus = 'running' | 'complete' | 'failed' | 'interrupted';

export interface FlyRelease {
  id: string;
  version: number;
  description?: string;
  reason?: string;
  status: FlyReleaseStatus | string;
  imageRef: string;
  createdAt: string;
}

export interface FlyLogsPage {
  data: {
    id: string;
    attributes: { timestamp: string; level?: string; message: string; instance?: string };
  }[];
  meta?: { next_token?: string };
}

/** Machine states from which a Machine will not become healthy on its own. */
export const BROKEN_STATES = new Set(['failed', 'launch_failed', 'destroyed', 'stopped']);

/** The commit a release's image tag names, when the tag is a git SHA (the default image template). */
export function commitOfImage(image: string): string | undefined {
  const tag = /:([0-9a-f]{7,40})$/.exec(image)?.[1];
  return tag;
}

export function toProviderDeploy(release: FlyRelease, current: string | undefined): ProviderDeploy {
  const state: DeployState =
    release.status === 'complete'
      ? release.id === current
        ? 'live'
        : 'superseded'
      : release.status === 'failed'
        ? 'failed'
        : release.status === 'interrupted'
          ? 'canceled'
          : 'deploying';
  const commit = commitOfImage(release.imageRef);
  return {
    id: release.id,
    state,
    createdAt: release.createdAt,
    ...(commit ? { commit } : {}),
    ...(release.reason ? { trigger: release.reason } : {}),
    ...(state === 'failed' || state === 'canceled'
      ? { reason: release.description || `release v${release.version} ${release.status}` }
      : {}),
    version: `v${release.version}`,
  };
}

export const RELEASE_FIELDS = 'id version description reason status imageRef createdAt';
