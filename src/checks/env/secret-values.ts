/** Which read values the redactor must know: contract secrets, secret-looking names, and passwords inside URLs. */
import type { EnvValue } from './sources.js';

const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PASS$|PWD|KEY$|_KEY_|PRIVATE|CREDENTIAL|DSN/i;
/** The shell's working directories match PWD; masking them would hide every path opsbook prints. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);

export function secretValuesOf(values: Map<string, EnvValue>, secretKeys: Set<string>): string[] {
  const found: string[] = [];
  for (const [key, { value }] of values) {
    if (secretKeys.has(key) || (SECRET_NAME.test(key) && !NOT_SECRET.has(key))) found.push(value);
    // A connection URL carries its password even when the variable is not marked secret.
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:([^@\s/]+)@/i.exec(value)?.[1];
    if (password) found.push(password, decodeURIComponentSafe(password), value);
  }
  return found;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
