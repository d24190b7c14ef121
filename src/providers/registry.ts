// Which provider type builds which adapter. Adding a provider is one line in PROVIDERS.
import type { ResolvedService } from '../config/index.js';
import { createCommandProvider } from './command/index.js';
import { createLocalProvider, type LocalProviderOptions } from './local/index.js';
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
}

export type ProviderFactory = (service: ResolvedService, options: ProviderOptions) => Provider;

export const PROVIDERS: Partial<Record<ProviderType, ProviderFactory>> = {
  local: (service, options) => createLocalProvider(service, options.local),
  command: (service) => createCommandProvider(service),
  render: (service) => createRenderProvider(service),
  vercel: (service) => createVercelProvider(service),
  railway: (service) => createRailwayProvider(service),
};
