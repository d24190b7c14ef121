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
import { type RailwayIds, resolveRailwayIds } from './resolve-ids.js';

export type { RailwayIds };

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
  let ids: Promise<RailwayIds> | undefined;
  // Resolved once per provider; a failed lookup is not remembered, so a retry asks again.
  const idsOf = (ctx: ProviderContext): Promise<RailwayIds> => {
    ids ??= resolveRailwayIds(service, gql, projectToken, ctx).catch((error: unknown) => {
      ids = undefined;
      throw error;
    });
    return ids;
  };

  return { gql, idsOf };
}
