/**
 * opsbook.yaml names Railway things as the dashboard shows them (`service: kamiyo-api`) or by id; the API wants ids.
 * One project lookup turns either into ids, and a name that matches nothing says what exists instead.
 */
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import type { GraphqlRequest } from '../http/index.js';
import type { ProviderContext } from '../types.js';
import { DOCUMENTS, type RailwayProject } from './api.js';

export interface RailwayIds {
  projectId: string;
  environmentId: string;
  serviceId: string;
}

type Gql = <T>(request: GraphqlRequest, ctx: ProviderContext) => Promise<T>;
type Named = { id: string; name: string };

const nodes = (c: { edges: { node: Named }[] }) => c.edges.map((e) => e.node);
/** An id, else a name: ids are what the API returns, names what the dashboard shows. */
const match = <T extends Named>(items: T[], ref: string): T | undefined =>
  items.find((i) => i.id === ref) ?? items.find((i) => i.name === ref);
const listOf = (items: Named[]) => items.map((i) => i.name).join(', ') || 'none';

async function projectById(gql: Gql, id: string, ctx: ProviderContext): Promise<RailwayProject | undefined> {
  try {
    return (
      (
        await gql<{ project: RailwayProject | null }>(
          { operation: 'Project', query: DOCUMENTS.project, variables: { id } },
          ctx,
        )
      ).project ?? undefined
    );
  } catch (error) {
    // Not an id (or not one this token sees): the caller looks the name up instead.
    if (error instanceof ProviderError && error.status === undefined) return undefined;
    throw error;
  }
}

/** The project a name or id means, among an account token's projects. */
async function findProject(gql: Gql, ref: string, ctx: ProviderContext): Promise<RailwayProject> {
  const byId = await projectById(gql, ref, ctx);
  if (byId) return byId;
  const { projects } = await gql<{ projects: { edges: { node: RailwayProject }[] } }>(
    { operation: 'Projects', query: DOCUMENTS.projects },
    ctx,
  );
  const all = projects.edges.map((e) => e.node);
  const found = match(all, ref);
  if (found) return found;
  throw new UserError(
    `railway: no Railway project '${ref}' for this token`,
    `projects it can see: ${listOf(all)}; set provider.project to one of them (name or id)`,
    'railway/unknown-project',
  );
}

export async function resolveRailwayIds(
  service: ResolvedService,
  gql: Gql,
  projectToken: boolean,
  ctx: ProviderContext,
): Promise<RailwayIds> {
  const config = service.provider;
  if (config?.type !== 'railway') throw new UserError(`service '${service.name}' is not a Railway service`);
  if (!config.service) {
    throw new UserError(
      `railway: service '${service.name}' needs provider.service (the Railway service name or id)`,
      'copy it from the service in the Railway dashboard',
    );
  }
  let project: RailwayProject;
  let environmentRef = config.environment;
  if (projectToken) {
    // A project token is scoped to one project and environment, and can say which.
    const { projectToken: scope } = await gql<{
      projectToken: { project: { id: string }; environment: { id: string } };
    }>({ operation: 'ProjectToken', query: DOCUMENTS.projectToken }, ctx);
    const own = await projectById(gql, scope.project.id, ctx);
    if (!own)
      throw new ProviderError('railway', `railway: the token's project ${scope.project.id} cannot be read`);
    project = own;
    if (config.project && config.project !== own.id && config.project !== own.name)
      throw new UserError(
        `railway: the token in RAILWAY_TOKEN is scoped to project ${own.name}, not '${config.project}'`,
        `set provider.project to ${own.name}, or use a token of project ${config.project}`,
        'railway/unknown-project',
      );
    environmentRef ??= scope.environment.id;
  } else {
    if (!config.project || !environmentRef) {
      throw new UserError(
        `railway: service '${service.name}' needs provider.project and provider.environment (names or ids) with an account token`,
        'set them as the Railway dashboard shows them, or use a project token in RAILWAY_TOKEN',
      );
    }
    project = await findProject(gql, config.project, ctx);
  }
  const environments = nodes(project.environments);
  const environment = match(environments, environmentRef);
  if (!environment)
    throw new UserError(
      `railway: no environment '${environmentRef}' in Railway project ${project.name}`,
      `environments: ${listOf(environments)}; set services.${service.name}.provider.environment to one of them`,
      'railway/unknown-environment',
    );
  const services = nodes(project.services);
  const found = match(services, config.service);
  if (!found)
    throw new UserError(
      `railway: no service '${config.service}' in Railway project ${project.name}`,
      `services: ${listOf(services)}; set services.${service.name}.provider.service to one of them`,
      'railway/unknown-service',
    );
  return { projectId: project.id, environmentId: environment.id, serviceId: found.id };
}
