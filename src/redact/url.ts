/**
 * Credentials inside connection strings: the one place that finds and masks them, for URLs
 * (`scheme://user:pass@host`) and libpq key=value strings (`password=...`).
 */
import { MASK } from './mask.js';

// `scheme://userinfo@`: userinfo stops at whitespace, '/', '@' and quotes so prose around a URL stays intact.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@'"`<>]+)@/gi;
const KEY_VALUE_PASSWORD = /\b(password\s*=\s*)('[^']*'|[^\s'"]+)/gi;
// A user name alone is shown (it says which account); anything else without a colon is likely a token.
const PLAIN_USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
/** Same flags as KEY_VALUE_PASSWORD, so it matches exactly the text that pattern could match. */
const PASSWORD_WORD = /password/i;

export interface MaskCredentialsOptions {
  /** Mask the user name too (public pages: an account name is nobody's business there). */
  hideUser?: boolean;
}

/** Masks the password of every URL and `password=` pair in `text`; host, path and (by default) user stay readable. */
export function maskCredentials(text: string, options: MaskCredentialsOptions = {}): string {
  // Every string of every JSON document passes here (4,500 lint findings are ~20,000 strings), and each pattern
  // tries every position: text without '://' and '@', or without the word password, cannot match it.
  const urls =
    text.includes('@') && text.includes('://')
      ? text.replace(URL_USERINFO, (_, scheme: string, userinfo: string) => {
          if (options.hideUser) return `${scheme}${MASK}@`;
          const colon = userinfo.indexOf(':');
          if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
          return PLAIN_USER.test(userinfo) ? `${scheme}${userinfo}@` : `${scheme}${MASK}@`;
        })
      : text;
  return PASSWORD_WORD.test(urls) ? urls.replace(KEY_VALUE_PASSWORD, `$1${MASK}`) : urls;
}

/** Hides one connection's credentials in `text` (driver errors can echo the password outside any URL). */
export function scrubConnection(text: string, connection: string): string {
  const password = credentialPassword(connection);
  const withoutPassword = password && password.length >= 2 ? text.split(password).join(MASK) : text;
  return maskCredentials(withoutPassword);
}

/** The decoded password of a URL or key=value connection string, to register with the redactor. */
export function credentialPassword(connection: string): string | undefined {
  try {
    const password = new URL(connection).password;
    if (!password) return undefined;
    try {
      return decodeURIComponent(password);
    } catch {
      return password;
    }
  } catch {
    const match = /\bpassword\s*=\s*(?:'([^']*)'|([^\s'"]+))/i.exec(connection);
    return match?.[1] ?? match?.[2] ?? undefined;
  }
}

/** The connection without its password, and the password: a child process gets it in PGPASSWORD, never in argv. */
export function separatePassword(connection: string): { connection: string; password?: string } {
  const password = credentialPassword(connection);
  if (!password) return { connection };
  try {
    const url = new URL(connection);
    url.password = '';
    return { connection: url.toString(), password };
  } catch {
    return { connection, password };
  }
}
