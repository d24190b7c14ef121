/** Reads OPSBOOK_DATABASE_URL without ever echoing its password. */
import { UserError } from '../errors.js';
import { credentialPassword, maskCredentials } from '../redact/index.js';

export const DATABASE_URL_VAR = 'OPSBOOK_DATABASE_URL';

export interface DatabaseUrl {
  url: string;
  /** The URL with its password masked, safe to print. */
  masked: string;
  /** Decoded password, for the redactor. */
  password: string | undefined;
}

const FORM = `${DATABASE_URL_VAR}=postgres://USER:PASSWORD@HOST:5432/DATABASE`;

export function parseDatabaseUrl(raw: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // Not even the masked value is shown: without a parse we cannot tell where the password is.
    throw new UserError(
      `${DATABASE_URL_VAR} is not a valid URL`,
      `set it to ${FORM} (percent-encode special characters in the password), or unset it to use the local SQLite store`,
      'store/bad-database-url',
    );
  }
  const masked = maskCredentials(url.href);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UserError(
      `${DATABASE_URL_VAR} must be a postgres:// URL, got ${masked}`,
      `set it to ${FORM}, or unset it to use the local SQLite store`,
      'store/bad-database-url',
    );
  }
  return { url: raw.trim(), masked, password: credentialPassword(url.href) };
}
