/** Who and where on Railway: the token (and which header carries it) and the project, environment and service ids. */
import type { ResolvedService } from '../../config/index.js';
import { UserError } from '../../errors.js';
import {
  createApiClient,
  createTokenSource,
  type GraphqlRequest,
  type HttpTuning,
  requestGraphql,
} from '../http/index.js';
import type { ProviderContext } from '../types.js';
import { DOCUMENTS } from './api.js';

export interface RailwayIds {
  projectId: string;
  environmentId: string;
  serviceId: string;
}

export interface RailwayConnection {
  gql<T>(request: GraphqlRequest, ctx: ProviderContext): Promise<T>;
  idsOf(ctx: ProviderContext): Promise<RailwayIds>;
}

/** Railway's CLI reads a project token from RAILWAY_TOKEN; account and team tokens go in a Bearer header. */
const PROJECT_TOKEN_VARIABLE = 'RAILWAY_TOKEN';

export function connectRailway(
  service: ResolvedService,
  baseUrl: string,
  tuning: HttpTuning,
): RailwayConnection {
  const config = service.provider;
  if (config?.type !== 'railway') throw new UserError(`service '${service.name}' is not a Railway service`);
  const token = createTokenSource(
    config.token,
    PROJECT_TOKEN_VARIABLE,
    'railway',
    'Railway (project Settings → Tokens)',
  );
  const projectToken = token.name === PROJECT_TOKEN_VARIABLE;
  const api = createApiClient({
    provider: 'railway',
    baseUrl,
    token: token.read,
    authHeaders: (value): Record<string, string> =>
      projectToken ? { 'project-access-token': value } : { authorization: `Bearer ${value}` },
    ...tuning,
  });
  const gql = <T>(request: GraphqlRequest, ctx: ProviderContext) => requestGraphql<T>(api, request, ctx);
  let ids: RailwayIds | undefined;

  const idsOf = async (ctx: ProviderContext): Promise<RailwayIds> => {
    if (ids) return ids;
    if (!config.service) {
      throw new UserError(
        `railway: service '${service.name}' needs provider.service (the Railway service id)`,
        'copy it from the service Settings page in Railway',
      );
    }
    let { project, environment } = config;
    if ((!project || !environment) && projectToken) {
      // A project token is scoped to one project and environment, and can say which.
      const { projectToken: scope } = await gql<{
        projectToken: { project: { id: string }; environment: { id: string } };
      }>({ operation: 'ProjectToken', query: DOCUMENTS.projectToken }, ctx);
      project ??= scope.project.id;
      environment ??= scope.environment.id;
    }
    if (!project || !environment) {
      throw new UserError(
        `railway: service '${service.name}' needs provider.project and provider.environment ids with an account token`,
        'set them from the Railway dashboard URL, or use a project token in RAILWAY_TOKEN',
      );
    }
    ids = { projectId: project, environmentId: environment, serviceId: config.service };
    return ids;
  };

  return { gql, idsOf };
}
