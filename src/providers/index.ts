/** Providers: the adapter interface to deploy platforms, the registry that picks one per service, and helpers. */

export { type ShellProcess, startShell } from '../shell/index.js';
export { createProviderContext } from './context.js';
export { createProvider } from './create-provider.js';
export { type FollowDeployOptions, followDeploy } from './follow-deploy.js';
export { type LocalProviderOptions, stopLocalRuntime } from './local/index.js';
export { PROVIDERS, type ProviderFactory, type ProviderOptions, type ProviderType } from './registry.js';
export type * from './types.js';
export { TERMINAL_STATES } from './types.js';
