import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaker, plantEveryRule } from '../../../test/support/checks/secrets/fake-keys.js';
import { removeTree, writeTree } from '../../../test/support/checks/secrets/tree.js';
import { builtinRuleSet, scanSecrets } from './index.js';

const faker = createFaker();
const plants = plantEveryRule(faker);

describe('the built-in rules', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeTree(Object.fromEntries(plants.map((p) => [p.file, p.content])));
  });
  afterAll(() => removeTree(dir));

  it('have a planted key for every rule', () => {
    const planted = new Set(plants.map((p) => p.rule));
    expect([...planted].sort()).toEqual(
      builtinRuleSet()
        .rules.map((r) => r.id)
        .sort(),
    );
  });

  it('find each planted key with the rule made for it, and nothing else', async () => {
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    const found = result.findings.map((f) => `${f.file} ${f.ruleId}`).sort();
    expect(found).toEqual(plants.map((p) => `${p.file} ${p.rule}`).sort());
  });

  it('tell Clerk secret keys from Stripe keys of the same prefix', async () => {
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    const byFile = new Map(result.findings.map((f) => [f.file, f.ruleId]));
    expect(byFile.get('clerk.env')).toBe('clerk-secret-key');
    expect(byFile.get('clerk-live.ts')).toBe('clerk-secret-key');
    expect(byFile.get('stripe.env')).toBe('stripe-access-token');
    expect(byFile.get('stripe-restricted.yaml')).toBe('stripe-access-token');
  });

  it('locate the secret by line and column and keep only a redacted prefix', async () => {
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    const stripe = result.findings.find((f) => f.file === 'stripe.env');
    const secret = plants.find((p) => p.file === 'stripe.env')?.secret ?? '';
    expect(stripe).toMatchObject({
      line: 2,
      column: 'STRIPE_SECRET_KEY='.length + 1,
      redacted: `${secret.slice(0, 4)}…`,
    });
    expect(JSON.stringify(result)).not.toContain(secret.slice(4, 16));
  });
});

describe('placeholders and public keys', () => {
  const f = createFaker(7);
  const files = {
    '.env.example': [
      `ANTHROPIC_API_KEY=${'sk-ant-'}...`,
      `OPENAI_API_KEY=${'sk-'}...`,
      `STRIPE_SECRET_KEY=${'sk_'}live_${'x'.repeat(24)}`,
      `STRIPE_WEBHOOK_SECRET=${'whsec_'}...`,
      'CLERK_SECRET_KEY=<random string>',
      'RESEND_API_KEY=your-key-here',
      'JWT_SECRET=changeme',
      'SESSION_SECRET=xxx',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
      'NEXTAUTH_SECRET=${NEXTAUTH_SECRET}',
      'DATABASE_URL=postgres://user:password@localhost:5432/app',
      'DATABASE_URL_LOCAL=postgres://postgres:postgres@127.0.0.1:5432/app',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
      'REDIS_URL=redis://:${REDIS_PASSWORD}@localhost:6379',
      `AWS_ACCESS_KEY_ID=${'AKIA'}IOSFODNN7EXAMPLE`,
      `AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLE'}KEY`,
      `SLACK_WEBHOOK_URL=https://hooks.${'slack'}.com/services/T00000000/B00000000/${'X'.repeat(24)}`,
      'SENTRY_AUTH_TOKEN=your_sentry_auth_token_here',
      `LOCAL_DATABASE_URL=postgres://app:${f.b62(16)}@localhost:5432/app`,
      'INTERNAL_TOKEN=tok_ClientTestSecret42',
      'WEBHOOK_SECRET=s3cret-signing-key',
    ].join('\n'),
    'src/config.ts': [
      'export const apiKey = process.env.OPENAI_API_KEY;',
      "export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
      'const token = `${prefix}_${id}`;',
      'const secretKey = options.secretKey;',
      'const PASSWORD = import.meta.env.VITE_PASSWORD;',
    ].join('\n'),
    'docs/setup.md': [
      '```',
      `STRIPE_SECRET_KEY=${'sk_'}test_...`,
      `-----BEGIN ${'PRIVATE'} KEY-----`,
      '...',
      `-----END ${'PRIVATE'} KEY-----`,
      '```',
    ].join('\n'),
    'public.env': [
      `NEXT_PUBLIC_SUPABASE_ANON_KEY=${f.supabaseJwt('anon')}`,
      `SUPABASE_SERVICE_ROLE_KEY=${f.supabaseJwt('service_role', 'supabase-demo')}`,
      `SUPABASE_PUBLISHABLE_KEY=${'sb_'}publishable_${f.b62(22)}_${f.b62(8)}`,
      `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=${'pk_'}test_${f.b62(40)}`,
      `STRIPE_PUBLISHABLE_KEY=${'pk_'}live_51${f.b62(97)}`,
    ].join('\n'),
  };
  let dir: string;
  beforeAll(() => {
    dir = writeTree(files);
  });
  afterAll(() => removeTree(dir));

  it('are not findings: templates, env references, filler words, doc examples, anon and publishable keys', async () => {
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    expect(result.files).toBe(Object.keys(files).length);
    expect(result.findings).toEqual([]);
  });
});

describe("the repository's own source", () => {
  it('holds no secrets anywhere in src/, tests included (fake test keys carry gitleaks:allow)', async () => {
    const src = fileURLToPath(new URL('../..', import.meta.url));
    const result = await scanSecrets({ cwd: src, gitignore: false });
    expect(result.files).toBeGreaterThan(50);
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
  });

  it('holds no secrets at all in the scanner itself, tests included', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const result = await scanSecrets({ cwd: here, gitignore: false });
    expect(result.findings).toEqual([]);
  });
});
