/** Init: detects what a repository runs on and writes a starter opsbook.yaml from it. */
export { buildConfig } from './build-config.js';
export { appDirs, type DetectOptions, detectRepo } from './detect.js';
export { formatConfig, SCHEMA_COMMENT } from './format-config.js';
export { isPlaceholder, isSecretName, looksLikeSecret } from './secret-heuristics.js';
export type {
  DetectedEnvVar,
  DetectedGate,
  DetectedMigrations,
  DetectedService,
  Detection,
} from './types.js';
