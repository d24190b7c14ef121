/** The Railway provider (public GraphQL API v2) and its loopback fake for tests. */
export { RAILWAY_API_URL } from './api.js';
export { createRailwayProvider, type RailwayProviderOptions } from './railway.js';
