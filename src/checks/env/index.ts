/** The env contract: check values against it, diff sources, and generate .env.example and the markdown env table. */
export { type CheckEnvOptions, type CheckEnvResult, checkEnv } from './check.js';
export { type DescribedService, servicesToDescribe } from './describe.js';
export { type DiffEnvOptions, type DiffEnvResult, diffEnv, type ServiceDiff } from './diff.js';
export { renderEnvDocs } from './docs.js';
export { type DotenvEntry, type DotenvResult, parseDotenv } from './dotenv.js';
export { renderEnvExample } from './example.js';
export { type EnvFingerprintOptions, envValuesFingerprint } from './fingerprint.js';
export { platformName, writeOnlyReason } from './provider-source.js';
export { type EnvSourceSpec, parseSourceSpec } from './sources.js';
