/**
 * Railway's public GraphQL API (v2, per railwayapp/cli's introspected schema and .graphql documents): the
 * documents opsbook sends and the mapping of deployments onto opsbook's shape.
 */
import { ProviderError } from '../../errors.js';
import type { DeployState, ProviderDeploy } from '../types.js';

/** The host Railway's CLI uses; older docs name backboard.railway.app. */
export const RAILWAY_API_URL = 'https://backboard.railway.com/graphql/v2';

export type RailwayDeploymentStatus =
  | 'QUEUED'
  | 'WAITING'
  | 'INITIALIZING'
  | 'BUILDING'
  | 'DEPLOYING'
  | 'SUCCESS'
  | 'FAILED'
  | 'CRASHED'
  | 'SLEEPING'
  | 'NEEDS_APPROVAL'
  | 'SKIPPED'
  | 'REMOVING'
  | 'REMOVED';

export interface RailwayDeployment {
  id: string;
  status: RailwayDeploymentStatus;
  createdAt: string;
  updatedAt?: string;
  statusUpdatedAt?: string;
  url?: string | null;
  staticUrl?: string | null;
  /** Commit details live here: commitHash, commitMessage, branch. */
  meta?: { commitHash?: string; [key: string]: unknown } | null;
  canRollback?: boolean;
}

export interface RailwayLog {
  timestamp: string;
  message: string;
  severity?: string | null;
}

const DEPLOYMENT_FIELDS = 'id status createdAt updatedAt statusUpdatedAt url staticUrl meta canRollback';
const LOG_FIELDS = 'timestamp message severity';
const PROJECT_FIELDS =
  'id name environments { edges { node { id name } } } services { edges { node { id name } } }';

export const DOCUMENTS = {
  deployment: `query Deployment($id: String!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`,
  deployments: `query Deployments($input: DeploymentListInput!, $first: Int, $after: String) {
  deployments(input: $input, first: $first, after: $after) {
    edges { node { ${DEPLOYMENT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  deploy: `mutation ServiceInstanceDeployV2($environmentId: String!, $serviceId: String!, $commitSha: String) {
  serviceInstanceDeployV2(environmentId: $environmentId, serviceId: $serviceId, commitSha: $commitSha)
}`,
  rollback: 'mutation DeploymentRollback($id: String!) { deploymentRollback(id: $id) }',
  cancel: 'mutation DeploymentCancel($id: String!) { deploymentCancel(id: $id) }',
  buildLogs: `query BuildLogs($deploymentId: String!, $startDate: DateTime, $limit: Int) {
  buildLogs(deploymentId: $deploymentId, startDate: $startDate, limit: $limit) { ${LOG_FIELDS} }
}`,
  deploymentLogs: `query DeploymentLogs($deploymentId: String!, $startDate: DateTime, $limit: Int) {
  deploymentLogs(deploymentId: $deploymentId, startDate: $startDate, limit: $limit) { ${LOG_FIELDS} }
}`,
  variables: `query Variables($projectId: String!, $environmentId: String!, $serviceId: String) {
  variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId)
}`,
  upsertVariables: `mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) {
  variableCollectionUpsert(input: $input)
}`,
  projectToken: 'query ProjectToken { projectToken { project { id } environment { id } } }',
  project: `query Project($id: String!) { project(id: $id) { ${PROJECT_FIELDS} } }`,
  /** An account token's projects (a project token is refused: it knows its one project). */
  projects: `query Projects { projects { edges { node { ${PROJECT_FIELDS} } } } }`,
  /**
   * The service instance's auto-deploy switch ([unverified]: not among railwayapp/cli's documents; the field and
   * input names are the ones public automation sends to backboard).
   */
  autoDeployStatus: `query ServiceInstanceAutoDeployStatus($projectId: String!, $environmentId: String!, $serviceId: String!) {
  serviceInstanceAutoDeployStatus(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) { enabled canEnable reason }
}`,
  autoDeployUpdate: `mutation ServiceInstanceAutoDeployUpdate($input: ServiceInstanceAutoDeployUpdateInput!) {
  serviceInstanceAutoDeployUpdate(input: $input) { enabled }
}`,
} as const;

/** A project with the names the dashboard shows, to turn opsbook.yaml's names into ids. */
export interface RailwayProject {
  id: string;
  name: string;
  environments: { edges: { node: { id: string; name: string } }[] };
  services: { edges: { node: { id: string; name: string } }[] };
}

const STATES: Record<RailwayDeploymentStatus, DeployState> = {
  QUEUED: 'queued',
  WAITING: 'queued',
  // Waiting for a human to approve it in the dashboard.
  NEEDS_APPROVAL: 'queued',
  INITIALIZING: 'building',
  BUILDING: 'building',
  DEPLOYING: 'deploying',
  SUCCESS: 'live',
  // Scaled to zero (serverless): live, not a failure.
  SLEEPING: 'live',
  FAILED: 'failed',
  CRASHED: 'failed',
  SKIPPED: 'canceled',
  // Railway removes both a replaced deployment and a canceled one; `newer` tells them apart.
  REMOVING: 'superseded',
  REMOVED: 'superseded',
};

export interface MappingHints {
  /** A short failure reason (from the build logs). */
  reason?: string;
  /** Whether a newer deployment of the service exists (a removed deployment without one was canceled). */
  newer?: boolean;
}

export function toProviderDeploy(deployment: RailwayDeployment, hints: MappingHints = {}): ProviderDeploy {
  const { reason, newer } = hints;
  const removed = deployment.status === 'REMOVED' || deployment.status === 'REMOVING';
  const state = removed && newer === false ? 'canceled' : STATES[deployment.status];
  if (!state) {
    throw new ProviderError(
      'railway',
      `railway: deployment ${deployment.id} has a status opsbook does not know: '${deployment.status}'`,
    );
  }
  const commit = commitOf(deployment);
  const host = deployment.url ?? (deployment.staticUrl ? `https://${deployment.staticUrl}` : undefined);
  const terminal = state === 'live' || state === 'failed' || state === 'canceled' || state === 'superseded';
  return {
    id: deployment.id,
    state,
    ...(commit ? { commit } : {}),
    createdAt: deployment.createdAt,
    ...(terminal && deployment.statusUpdatedAt ? { finishedAt: deployment.statusUpdatedAt } : {}),
    ...(host ? { url: host } : {}),
    ...(reason ? { reason } : {}),
  };
}

export function commitOf(deployment: RailwayDeployment): string | undefined {
  const commit = deployment.meta?.commitHash;
  return typeof commit === 'string' ? commit : undefined;
}
