/** The shared platform API client: JSON and GraphQL requests with retries, timeouts, pagination and create-once. */
export {
  type ApiClient,
  type ApiClientOptions,
  type ApiRequest,
  createApiClient,
  type HttpMethod,
  type HttpTuning,
} from './client.js';
export { type FollowCommitOptions, followCommit, sameCommit } from './commits.js';
export { type CreateOnceOptions, createOnce } from './create-once.js';
export { excerptBody, OutcomeUnknownError } from './errors.js';
export { type GraphqlRequest, requestGraphql } from './graphql.js';
export {
  type Connection,
  collectPages,
  type Page,
  readConnectionPage,
  readRenderPage,
  readVercelPage,
} from './paginate.js';
export { readRateLimitWait } from './retry.js';
export { createTokenSource, type TokenSource } from './token.js';
