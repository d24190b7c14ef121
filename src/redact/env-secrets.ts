/**
 * Which values of an environment are secrets, by name, by shape and by URL credentials. Every command registers
 * them at start, so masking never depends on which gate happened to run (or was replayed from cache).
 */
import { credentialPassword } from './url.js';

const SECRET_NAME =
  /SECRET|TOKEN|PASSWORD|PASSWD|PASS$|PWD|KEY$|_KEY_|APIKEY|PRIVATE|CREDENTIAL|DSN|SALT|SIGNATURE|AUTH$|WEBHOOK_URL/i;
/** The shell's working directories match PWD; masking them would hide every path opsbook prints. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);
/** Vendor key shapes: a secret whatever the variable is called. */
const SECRET_SHAPES = [
  /^(sk|rk)[-_](live|test|ant|proj)/,
  /^sk-[A-Za-z0-9]{16,}/,
  /^(whsec|ghp|gho|ghu|ghs|ghr|glpat|xox[abprs]|npm)_?[-_A-Za-z0-9]{16,}/,
  /^github_pat_/,
  /^AKIA[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{20,}/,
  /^SG\.[A-Za-z0-9_-]{10,}/,
  /^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/,
  /-----BEGIN [A-Z ]*PRIVATE KEY/,
];

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.has(name);
}

/** Values to register: named secret (by the contract or by the name), shaped like a key, or a URL's password. */
export function secretValuesIn(
  entries: Iterable<readonly [string, string | undefined]>,
  secretNames: ReadonlySet<string> = new Set(),
): string[] {
  const found: string[] = [];
  for (const [name, value] of entries) {
    if (!value) continue;
    if (secretNames.has(name) || isSecretName(name) || SECRET_SHAPES.some((shape) => shape.test(value)))
      found.push(value);
    // A connection URL carries its password even when the variable is not marked secret.
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s@]*:[^/\s@]+@/i.test(value)) {
      const password = credentialPassword(value);
      if (password) found.push(password, encodeURIComponent(password), value);
    }
  }
  return found;
}
