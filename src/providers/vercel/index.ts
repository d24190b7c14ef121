/** The Vercel provider (REST API) and its loopback fake for tests. */
export { VERCEL_API_URL } from './api.js';
export { createVercelProvider, type VercelProviderOptions } from './vercel.js';
