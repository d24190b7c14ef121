/**
 * Realistic fake keys built at run time. Prefixes are split ('sk_' + 'live_') so this file never holds a secret-shaped
 * literal for GitHub push protection or our own scanner to flag. A seeded PRNG keeps every run identical.
 */

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = `${B62}-_`;
const B64 = `${B62}+/`;
const HEX = '0123456789abcdef';
const UPPER_B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';

export function createFaker(seed = 20_260_821) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (claims: Record<string, unknown>) =>
    `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.${pick(URLSAFE, 43)}`;
  return {
    b62: (n: number) => pick(B62, n),
    urlsafe: (n: number) => pick(URLSAFE, n),
    b64: (n: number) => pick(B64, n),
    hex: (n: number) => pick(HEX, n),
    upperB32: (n: number) => pick(UPPER_B32, n),
    upperNum: (n: number) => pick(UPPER_NUM, n),
    digits: (n: number) => pick(DIGITS, n),
    jwt,
    supabaseJwt: (role: 'service_role' | 'anon', iss = 'supabase') =>
      jwt({ iss, ref: pick('abcdefghijklmnopqrstuvwxyz', 20), role, iat: 1_736_164_553, exp: 2_051_740_553 }),
    pemBody: (lines: number) => Array.from({ length: lines }, () => pick(B64, 64)).join('\n'),
  };
}

export type Faker = ReturnType<typeof createFaker>;

/** One planted secret: the file it lives in, its content, the rule that must find it and the secret itself. */
export interface Plant {
  rule: string;
  file: string;
  content: string;
  secret: string;
}

const plant = (rule: string, file: string, secret: string, line: (s: string) => string): Plant => ({
  rule,
  file,
  secret,
  content: `# planted for ${rule}\n${line(secret)}\n`,
});

/** A key for every built-in rule, each in its own file, written the way real projects write them. */
export function plantEveryRule(f: Faker): Plant[] {
  const pem = `-----BEGIN ${'RSA PRIVATE'} KEY-----\n${f.pemBody(12)}\n-----END ${'RSA PRIVATE'} KEY-----`;
  const pemBody = pem.split('\n').slice(1, -1).join('\n');
  return [
    plant(
      'anthropic-api-key',
      'anthropic.env',
      `${'sk-ant-'}api03-${f.urlsafe(93)}AA`,
      (s) => `ANTHROPIC_API_KEY=${s}`,
    ),
    plant(
      'openai-api-key',
      'openai.ts',
      `${'sk-'}proj-${f.urlsafe(156)}`,
      (s) => `const openai = new OpenAI({ apiKey: '${s}' });`,
    ),
    plant(
      'openai-api-key',
      'openai-legacy.py',
      `${'sk-'}${f.b62(20)}${'T3Blbk'}FJ${f.b62(20)}`,
      (s) => `openai.api_key = "${s}"`,
    ),
    plant(
      'stripe-access-token',
      'stripe.env',
      `${'sk_'}live_51${f.b62(97)}`,
      (s) => `STRIPE_SECRET_KEY=${s}`,
    ),
    plant(
      'stripe-access-token',
      'stripe-restricted.yaml',
      `${'rk_'}test_${f.b62(24)}`,
      (s) => `stripe:\n  restricted: "${s}"`,
    ),
    plant('clerk-secret-key', 'clerk.env', `${'sk_'}test_${f.b62(42)}`, (s) => `CLERK_SECRET_KEY=${s}`),
    plant(
      'clerk-secret-key',
      'clerk-live.ts',
      `${'sk_'}live_${f.b62(42)}`,
      (s) => `export const clerk = createClerkClient({ secretKey: '${s}' });`,
    ),
    plant(
      'stripe-webhook-secret',
      'webhook.env',
      `${'whsec_'}${f.b62(32)}`,
      (s) => `STRIPE_WEBHOOK_SECRET=${s}`,
    ),
    plant(
      'supabase-service-role-jwt',
      'supabase.ts',
      f.supabaseJwt('service_role'),
      (s) => `const admin = createClient(url, '${s}');`,
    ),
    plant(
      'supabase-secret-key',
      'supabase-new.env',
      `${'sb_'}secret_${f.b62(22)}_${f.urlsafe(8)}`,
      (s) => `SUPABASE_SECRET_KEY=${s}`,
    ),
    plant(
      'aws-access-token',
      'aws.ini',
      `${'AKIA'}${f.upperB32(16)}`,
      (s) => `[default]\naws_access_key_id = ${s}`,
    ),
    plant(
      'aws-secret-access-key',
      'aws-creds.ini',
      `${f.b64(20)}${f.b62(20)}`,
      (s) => `[default]\naws_secret_access_key = ${s}`,
    ),
    plant('github-pat', 'gh.sh', `${'ghp_'}${f.b62(36)}`, (s) => `export GITHUB_TOKEN=${s}`),
    plant('github-oauth', 'gh-oauth.json', `${'gho_'}${f.b62(36)}`, (s) => `{ "oauth": "${s}" }`),
    plant('github-app-token', 'gh-app.env', `${'ghs_'}${f.b62(36)}`, (s) => `GH_APP_INSTALLATION=${s}`),
    plant(
      'github-fine-grained-pat',
      'gh-fine.env',
      `${'github_'}pat_${f.b62(22)}_${f.b62(59)}`,
      (s) => `GH_PAT=${s}`,
    ),
    plant(
      'slack-webhook-url',
      'slack.ts',
      `T${f.upperNum(10)}/B${f.upperNum(10)}/${f.b62(24)}`,
      (s) => `const hook = 'https://hooks.${'slack'}.com/services/${s}';`,
    ),
    plant(
      'slack-bot-token',
      'slack-bot.env',
      `${'xoxb-'}${f.digits(12)}-${f.digits(13)}-${f.b62(24)}`,
      (s) => `SLACK_BOT_TOKEN=${s}`,
    ),
    plant(
      'slack-user-token',
      'slack-user.env',
      `${'xoxp-'}${f.digits(12)}-${f.digits(12)}-${f.digits(13)}-${f.hex(32)}`,
      (s) => `SLACK_USER=${s}`,
    ),
    plant(
      'resend-api-key',
      'resend.ts',
      `${'re_'}${f.b62(8)}_${f.b62(24)}`,
      (s) => `const resend = new Resend('${s}');`,
    ),
    plant(
      'sentry-dsn-secret',
      'sentry.js',
      f.hex(32),
      (s) =>
        `Sentry.init({ dsn: 'https://${f.hex(32)}:${s}@o${f.digits(6)}.ingest.${'sentry'}.io/${f.digits(7)}' });`,
    ),
    plant(
      'sentry-org-token',
      'sentry-org.env',
      `${'sntrys_'}eyJ${f.b64(140)}`,
      (s) => `SENTRY_AUTH_TOKEN=${s}`,
    ),
    plant('sentry-user-token', 'sentry-user.env', `${'sntryu_'}${f.hex(64)}`, (s) => `SENTRY_TOKEN=${s}`),
    plant('private-key', 'deploy.pem', pemBody, () => pem),
    plant(
      'database-url-password',
      'database.env',
      f.b62(20),
      (s) => `DATABASE_URL=postgres://app:${s}@db.acme-internal.io:5432/app`,
    ),
    plant(
      'redis-url-password',
      'redis.yaml',
      f.b62(24),
      (s) => `cache:\n  url: rediss://default:${s}@cache.acme-internal.io:6380`,
    ),
    plant(
      'generic-api-key',
      'internal.ts',
      `${f.b62(30)}7q`,
      (s) => `const INTERNAL_SIGNING_SECRET = "${s}";`,
    ),
    plant('password-assignment', 'db.env', `${f.b62(14)}#9!`, (s) => `DB_PASSWORD=${s}`),
  ];
}
