// Which provider type builds which adapter. Adding a provider is one line in PROVIDERS.
import type { ResolvedService } from '../config/index.js';
import { createCommandProvider } from './command/index.js';
import { createFlyProvider } from './fly/index.js';
import { createHerokuProvider } from './heroku/index.js';
import { createLocalProvider, type LocalProviderOptions } from './local/index.js';
import { createNetlifyProvider } from './netlify/index.js';
import { createRailwayProvider } from './railway/index.js';
import { createRenderProvider } from './render/index.js';
import type { Provider } from './types.js';
import { createVercelProvider } from './vercel/index.js';

export type ProviderType = NonNullable<ResolvedService['provider']>['type'];

export interface ProviderOptions {
  /** The stack directory (where opsbook.yaml is). */
  cwd: string;
  /** Tuning of the local runtime (tests and benches shorten its timeouts). */
  local?: LocalProviderOptions;
  /** Where the OPSBOOK_<PLATFORM>_API_URL overrides are read (default: process.env, as the CLI runs). */
  env?: NodeJS.ProcessEnv;
}

export type ProviderFactory = (service: ResolvedService, options: ProviderOptions) => Provider;

/** An API base URL override, so the built CLI can be pointed at a loopback fake of the platform. */
const apiUrl = (options: ProviderOptions, name: string) => (options.env ?? process.env)[name] || undefined;

export const PROVIDERS: Partial<Record<ProviderType, ProviderFactory>> = {
  local: (service, options) => createLocalProvider(service, options.local),
  command: (service) => createCommandProvider(service),
  render: (service, options) =>
    createRenderProvider(service, { baseUrl: apiUrl(options, 'OPSBOOK_RENDER_API_URL') }),
  vercel: (service, options) =>
    createVercelProvider(service, { baseUrl: apiUrl(options, 'OPSBOOK_VERCEL_API_URL') }),
  railway: (service, options) =>
    createRailwayProvider(service, { baseUrl: apiUrl(options, 'OPSBOOK_RAILWAY_API_URL') }),
  fly: (service, options) => createFlyProvider(service, { baseUrl: apiUrl(options, 'OPSBOOK_FLY_API_URL') }),
  heroku: (service, options) =>
    createHerokuProvider(service, { baseUrl: apiUrl(options, 'OPSBOOK_HEROKU_API_URL') }),
  netlify: (service, options) =>
    createNetlifyProvider(service, { baseUrl: apiUrl(options, 'OPSBOOK_NETLIFY_API_URL') }),
};
