/** Config: the opsbook.yaml schema, loading with positioned diagnostics, defineConfig and the JSON Schema. */
export { contractSecretNames, registerContractSecrets } from './contract-secrets.js';
export { defineConfig } from './define.js';
export { generateJsonSchema } from './json-schema.js';
export {
  CONFIG_FILES,
  findConfigFile,
  type LoadConfigOptions,
  type LoadConfigResult,
  loadConfig,
  validateConfigText,
} from './load.js';
export { parseDuration, parsePercent, type SecretRef } from './primitives.js';
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
export { stackSchema } from './schema.js';
export type { EnvVarSpec, HealthEndpoint, ServiceConfig } from './schema-service.js';
export { HEALTH_TYPES, PLATFORMS, SERVICE_KINDS } from './schema-service.js';
export { closestMatch } from './suggest.js';
export {
  ANNOUNCEMENT_VARIABLES,
  renderTemplate,
  type TemplateVariable,
  templateVariables,
} from './template.js';
