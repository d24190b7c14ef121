/** Secret redaction: the redactor every output path goes through, and the masking of credentials in URLs. */
export { isSecretName, secretValuesIn } from './env-secrets.js';
export { MASK } from './mask.js';
export { createRedactor, type Redactor } from './redactor.js';
export {
  credentialPassword,
  type MaskCredentialsOptions,
  maskCredentials,
  scrubConnection,
  separatePassword,
} from './url.js';
