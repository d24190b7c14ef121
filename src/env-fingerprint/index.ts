/** Env fingerprints: per-variable salted hashes of a verified deploy's env, to name what changed since (never values). */
export {
  compareEnv,
  DEFAULT_PARAMS,
  type EnvChanges,
  type EnvFingerprint,
  fingerprintEnv,
  type ScryptParams,
  type VarSince,
} from './fingerprint.js';
export { loadEnvFingerprint, saveEnvFingerprint } from './record.js';
export { carrySince } from './since.js';
