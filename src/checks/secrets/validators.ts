/** Checks that run after a rule's regex matched, for what a regex cannot see: JWT payloads, identifiers, PEM bodies. */
import { isPlaceholder, isReadablePhrase } from './placeholder.js';
import type { ValidatorName } from './types.js';

export interface MatchContext {
  /** The whole text being scanned. */
  text: string;
  /** Offset of the whole match in `text`. */
  start: number;
  match: string;
  secret: string;
  groups: readonly (string | undefined)[];
  path: string;
}

/** Returns true when the match is a real finding. */
export type Validator = (ctx: MatchContext) => boolean;

/** Languages where a value is a string literal only when quoted; an unquoted value there is an expression. */
const CODE_FILE =
  /\.(?:[cm]?[jt]sx?|py|rb|go|java|kts?|scala|cs|php|rs|swift|c|h|cc|cpp|hpp|m|dart|lua|vue|svelte|astro)$/i;
const IDENT_CHAR = /[A-Za-z0-9_.$-]/;
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'secretkey',
  'accesskey',
  'privatekey',
]);
const SECRET_WORDS_CREDENTIAL = new Set([...SECRET_WORDS, 'credential', 'credentials', 'creds']);
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase']);
/** A secret word followed by one of these still names the secret: SECRET_KEY_BASE, API_KEY_VALUE. */
const VALUE_SUFFIXES = new Set(['base', 'value', 'b64', 'base64', 'hex', 'string', 'str']);
/** Words that make a *_KEY / *_TOKEN name something other than a credential. */
const NOT_SECRET = new Set([
  ...[
    'public',
    'publishable',
    'pub',
    'cache',
    'storage',
    'sort',
    'primary',
    'foreign',
    'partition',
    'hot',
    'short',
  ],
  ...[
    'next',
    'page',
    'cancel',
    'continuation',
    'csrf',
    'xsrf',
    'lookup',
    'map',
    'idempotency',
    'dedupe',
    'unique',
  ],
  ...[
    'react',
    'list',
    'object',
    'row',
    'column',
    'field',
    'translation',
    'i18n',
    'message',
    'event',
    'query',
    'route',
  ],
  ...[
    'hash',
    'search',
    'state',
    'local',
    'index',
    'composite',
    'shortcut',
    'fake',
    'dummy',
    'mock',
    'example',
    'sample',
  ],
]);
const PUBLIC_VALUE = /^(?:pk_(?:live|test)_|sb_publishable_|eyJ[\w-]*\.eyJ)/;

/** The identifier around `start` (the keyword inside it), split into lower-case words on _ - . and camelCase. */
function identifierWords(text: string, start: number): string[] {
  let from = start;
  while (from > 0 && start - from < 80 && IDENT_CHAR.test(text[from - 1] ?? '')) from--;
  let to = start;
  while (to < text.length && to - start < 80 && IDENT_CHAR.test(text[to] ?? '')) to++;
  return text
    .slice(from, to)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function namesSecret(words: readonly string[], wanted: ReadonlySet<string>): boolean {
  if (words.some((w) => NOT_SECRET.has(w))) return false;
  const last = words.at(-1) ?? '';
  return wanted.has(last) || (wanted.has(words.at(-2) ?? '') && VALUE_SUFFIXES.has(last));
}

function assignment(ctx: MatchContext, wanted: ReadonlySet<string>): boolean {
  // Group 4 is the unquoted alternative of the generic regexes.
  if (ctx.groups[4] !== undefined && CODE_FILE.test(ctx.path)) return false;
  if (PUBLIC_VALUE.test(ctx.secret) || ctx.secret.includes('://') || /^[./~]/.test(ctx.secret)) return false;
  if (isReadablePhrase(ctx.secret)) return false;
  return namesSecret(identifierWords(ctx.text, ctx.start), wanted);
}

function decodeJson(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Only the service_role key is a secret; anon keys are public by design, and `supabase-demo` keys are the local dev defaults. */
function supabaseServiceJwt(ctx: MatchContext): boolean {
  const [header, payload] = ctx.secret.split('.');
  const head = decodeJson(header);
  const claims = decodeJson(payload);
  return Boolean(head?.alg) && claims?.role === 'service_role' && claims.iss !== 'supabase-demo';
}

function privateKey(ctx: MatchContext): boolean {
  const body = ctx.secret
    .replace(/\\[nr]/g, '\n')
    .split('\n')
    .filter((line) => !/^[\w-]+:/.test(line.trim()))
    .join('')
    .replace(/[\s"',+]/g, '');
  return body.length >= 64 && /^[A-Za-z0-9+/=]+$/.test(body);
}

/** A database on this machine: its password guards nothing reachable from elsewhere (TruffleHog skips these too). */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|host\.docker\.internal|[\w.-]+\.localhost)$/i;

/** Groups: 1 scheme, 2 user, 3 password, 4 host. */
function connectionUrl(ctx: MatchContext): boolean {
  const user = ctx.groups[2] ?? '';
  const password = decodeURIComponentSafe(ctx.secret);
  if (password.length < 4 || password === user || LOOPBACK.test(ctx.groups[4] ?? '')) return false;
  return !isPlaceholder(password) && !isReadablePhrase(password);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const VALIDATORS: Record<ValidatorName, Validator> = {
  'generic-assignment': (ctx) => assignment(ctx, SECRET_WORDS_CREDENTIAL),
  'generic-password': (ctx) => assignment(ctx, PASSWORD_WORDS),
  'supabase-service-jwt': supabaseServiceJwt,
  'private-key': privateKey,
  'connection-url': connectionUrl,
};
