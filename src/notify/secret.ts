import type { SecretRef } from '../config/index.js';
import { UserError } from '../errors.js';
import type { Redactor } from '../redact/index.js';

/** Reads a secret reference from the environment and registers the value with the redactor before anything can print it. */
export function resolveSecret(
  ref: SecretRef | string,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  what: string,
): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (!value)
    throw new UserError(
      `${what}: environment variable ${ref.env} is not set`,
      `export ${ref.env}=... (it holds a secret, so it is not in the config)`,
    );
  redactor.add([value]);
  return value;
}
