/**
 * The opsbook library: the use-cases the CLI runs, as functions taking plain options and returning result values
 * (nothing is printed), with `defineConfig` for opsbook.config.ts, the config loader and the error classes.
 *
 * Each use-case loads its module on first call: opsbook.config.ts imports this file for `defineConfig`, and must
 * not pay for providers, drivers and the store.
 */
import type { DeployOptions, DeployOutcome } from './app/deploy.js';

export type { ConfigOptions, UseCaseOptions } from './app/context.js';
export type { DeployOptions, DeployOutcome, DeployPlanned, DeployRun } from './app/deploy.js';
export {
  defineConfig,
  type LoadConfigOptions,
  type LoadConfigResult,
  loadConfig,
  type StackConfig,
  type StackConfigInput,
} from './config/index.js';
export type { DeployPlan, DeployProgress, DeployState, DeployStatus } from './deploy/index.js';
export type { Diagnostic, Location, Severity } from './diagnostics/index.js';
export { ConfigError, EXIT, ProviderError, UserError } from './errors.js';
export { OutcomeUnknownError } from './providers/http/errors.js';
export { createRedactor, type Redactor } from './redact/index.js';

/** Gates, migrations, the deploy in order, verification and automatic rollback: `opsbook deploy`. */
export async function deploy(options: DeployOptions): Promise<DeployOutcome> {
  return (await import('./app/deploy.js')).deploy(options);
}
