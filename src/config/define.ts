import type { StackConfigInput } from './schema.js';

/** Identity helper that types an `opsbook.config.ts`: `export default defineConfig({ ... })`. */
export function defineConfig(config: StackConfigInput): StackConfigInput {
  return config;
}
