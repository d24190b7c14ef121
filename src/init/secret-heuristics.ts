/**
 * Guessing from names and values which variables are secret. A wrong "secret" costs a masked value; a wrong
 * "not secret" writes a credential into a committed file, so every doubt resolves to secret.
 */

const SECRET_SUBSTRINGS =
  /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|APIKEY|API_KEY|ACCESS_KEY|SESSION_KEY/;
const SECRET_SEGMENTS = /(^|_)(KEY|PWD|PASS|SALT|DSN|WEBHOOK_URL)(_|$)/;
/** Connection strings carry a password. */
const CONNECTION_URL =
  /(^|_)(DATABASE|DB|POSTGRES|POSTGRESQL|PG|MYSQL|MONGO|MONGODB|REDIS|KV|AMQP|RABBITMQ|CLOUDAMQP|NEO4J)(_[A-Z]+)*_(URL|URI|CONNECTION_STRING)$/;
/** Bundled into client code, so public by design (unless the name says otherwise). */
const PUBLIC_PREFIX =
  /^(NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|PUBLIC_|GATSBY_)|PUBLISHABLE/;

export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (PUBLIC_PREFIX.test(upper) && !/PASSWORD|SECRET|PRIVATE/.test(upper)) return false;
  return SECRET_SUBSTRINGS.test(upper) || SECRET_SEGMENTS.test(upper) || CONNECTION_URL.test(upper);
}

/** Vendor key shapes, including every shape opsbook's config rules reject as a literal default. */
const SECRET_SHAPES = [
  /^(sk|rk|pk)[-_](live|test|ant|proj)/,
  /^sk-[A-Za-z0-9]{16,}/,
  /^(whsec|ghp|gho|ghu|ghs|ghr|glpat|xox[abprs])[-_]/,
  /^github_pat_/,
  /^re_[A-Za-z0-9]{8}/,
  /^AKIA[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{20,}/,
  /^SG\.[A-Za-z0-9_-]{10,}/,
  /^eyJ[A-Za-z0-9_-]{10,}\./,
  /-----BEGIN [A-Z ]*PRIVATE KEY/,
];

function isTokenLike(value: string): boolean {
  if (value.length < 20 || /\s/.test(value) || value.includes('://')) return false;
  if (/^[0-9a-f]{32,}$/i.test(value)) return true;
  return (
    /^[A-Za-z0-9_\-+=/.]+$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)
  );
}

/** A URL with a password in it: `postgres://user:pass@host/db`. */
function hasCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value);
}

export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  return SECRET_SHAPES.some((re) => re.test(v)) || hasCredentials(v) || isTokenLike(v);
}

const PLACEHOLDER =
  /^(<.*>|\[.*\]|\{.*\}|x{3,}|\*{3,}|\.{3,}|changeme|change[-_]me|replace[-_]?me|todo|tbd|your[-_ ].*|.*[-_]here|example|placeholder|secret|password)$/i;

/** `your-api-key-here`, `<token>`, `xxx`: shown as an example, never used as a default. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}
