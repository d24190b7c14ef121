/** The local provider: blue/green releases on this host behind a built-in proxy, run by a per-stack supervisor daemon. */
export { stopLocalRuntime } from './control-client.js';
export { createLocalProvider } from './local-provider.js';
export type { LocalProviderOptions } from './release-spec.js';
