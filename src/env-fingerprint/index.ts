/** Env fingerprints: per-variable salted hashes of a verified deploy's env, to name what changed since (never values). */
export {
  compareEnv,
  DEFAULT_PARAMS,
  type EnvChanges,
  type EnvFingerprint,
  fingerprintEnv,
  type ScryptParams,
} from './fingerprint.js';
export { loadEnvFingerprint, saveEnvFingerprint } from './record.js';
