/**
 * Config: loading with positioned diagnostics, defineConfig, and what commands read from a loaded config. The zod
 * schema (schema.ts), validation (validate.ts) and the JSON Schema (json-schema.ts) are imported from their own
 * modules: the barrel does not reach zod, so a command whose config comes from the cache never loads it.
 */
export { contractSecretNames, registerContractSecrets } from './contract-secrets.js';
export { defineConfig } from './define.js';
export { LINT_RULE_NAMES } from './lint-rule-names.js';
export {
  CONFIG_FILES,
  findConfigFile,
  type LoadConfigOptions,
  type LoadConfigResult,
  loadConfig,
} from './load.js';
export { HEALTH_TYPES, PLATFORMS, SERVICE_KINDS } from './names.js';
export type { SecretRef } from './primitives.js';
export { type ResolvedService, resolveEnvironment } from './resolve.js';
export { DOUBLE_DEPLOY_FIX, deploysOnPush, doubleDeployed } from './rules/double-deploy.js';
export { cannotFail } from './rules/verify-cannot-fail.js';
export type {
  Alert,
  Channel,
  EnvironmentConfig,
  Gate,
  Slo,
  StackConfig,
  StackConfigInput,
  Upstream,
} from './schema.js';
export type { EnvVarSpec, HealthEndpoint, ServiceConfig } from './schema-service.js';
export { closestMatch } from './suggest.js';
export {
  ANNOUNCEMENT_VARIABLES,
  renderTemplate,
  type TemplateVariable,
  templateVariables,
} from './template.js';
export { parseDuration, parsePercent } from './units.js';
