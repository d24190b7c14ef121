/** The opsbook package: `defineConfig` for opsbook.config.ts, and the loader for tools built on opsbook. */
export { defineConfig, loadConfig, type StackConfig, type StackConfigInput } from './config/index.js';
