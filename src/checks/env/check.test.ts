import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOf, PRODUCTION, SECRETS, writeFixture } from '../../../test/support/checks/env/fixture.js';
import { loadConfig, type StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import { checkEnv } from './check.js';

let cwd: string;
let config: StackConfig;
let configFile: string;

beforeAll(async () => {
  cwd = await writeFixture();
  const loaded = await loadConfig({ cwd });
  config = loaded.config!;
  configFile = loaded.file;
});
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(cwd, { recursive: true, force: true });
});

const check = (extra: { environment?: string; from?: string; env?: NodeJS.ProcessEnv } = {}) =>
  checkEnv({ cwd, config, configFile, env: {}, ...extra });

/** `code@file:line` or `code@path`: where a reader is sent. */
const where = (d: Diagnostic) =>
  `${d.code}@${d.location?.file ? `${d.location.file}:${d.location.line ?? ''}` : d.location?.path}`;

/** The fixture's contract itself has one broken `from`; every check reports it. */
const CONTRACT_REFERENCE = 'env/unresolved-reference@services.api.env.ANALYTICS_KEY';
const valueProblems = (list: Diagnostic[]) =>
  list.filter((d) => d.severity !== 'info' && where(d) !== CONTRACT_REFERENCE);

const GOOD = [
  `NEXTAUTH_SECRET=${SECRETS.signing}`,
  'NEXT_PUBLIC_API_URL=https://api.kamiyo.ai',
  `JWT_SECRET=${SECRETS.stagingJwt}x`,
  'STRIPE_SECRET_KEY=sk_live_51Hq2Zt8Vw4Nc6Xb0Lm3Kp9Rs5Jd7Fg1Ty', // gitleaks:allow (a fake secret for this test)
  'SESSION_KEY=Nc6Xb0Lm3Kp9Rs5Jd7Fg1TyHq2Zt8Vw4',
  `API_SIGNING_KEY=${SECRETS.signing}`,
  'RESEND_API_KEY=re_Zt8Vw4Nc_6Xb0Lm3Kp9Rs5Jd7Fg1Ty', // gitleaks:allow (a fake secret for this test)
  'CORS_ORIGINS=https://kamiyo.ai, https://app.kamiyo.ai',
  'WEBHOOK_URL=https://kamiyo.ai/hooks',
  'LOG_LEVEL=INFO',
  'PORT=8080',
  'ADMIN_EMAIL=ops@kamiyo.ai',
  'FEATURE_FLAGS={"beta": true}',
  'REQUEST_TIMEOUT=30s',
  'SENTRY_DSN=https://abc@o1.ingest.sentry.io/1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a reference, rendered by the platform
  'POSTGRES_PORT=${{Postgres.PGPORT}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dotenv-expand interpolation is not checked
  'RELEASE_TAG=${GIT_TAG}',
];

describe('checkEnv', () => {
  it('flags every contract rule on the fixture, at the env file line or the config path', async () => {
    const result = await check();
    const at = (code: string, key: string) => `${code}@.env.production:${lineOf(PRODUCTION, key)}`;
    expect(result.source).toEqual({ kind: 'file', file: '.env.production' });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(where).sort()).toEqual(
      [
        at('env/syntax', 'this line is broken'),
        at('env/too-short', 'NEXTAUTH_SECRET'),
        at('env/not-https', 'NEXT_PUBLIC_API_URL'),
        at('env/weak-secret', 'JWT_SECRET'),
        at('env/placeholder', 'STRIPE_SECRET_KEY'),
        at('env/reused-secret', 'SESSION_KEY'),
        at('env/not-https', 'CORS_ORIGINS'),
        at('env/localhost', 'CORS_ORIGINS'),
        at('env/not-url', 'WEBHOOK_URL'),
        at('env/not-in-enum', 'LOG_LEVEL'),
        at('env/too-long', 'APP_NAME'),
        at('env/pattern-mismatch', 'RELEASE_TAG'),
        at('env/invalid-format', 'PORT'),
        at('env/invalid-format', 'WORKERS'),
        at('env/invalid-format', 'ENABLE_SCHEDULER'),
        at('env/invalid-format', 'ADMIN_EMAIL'),
        at('env/invalid-format', 'FEATURE_FLAGS'),
        at('env/invalid-format', 'REQUEST_TIMEOUT'),
        at('env/unresolved-reference', 'POSTGRES_PORT'),
        at('env/unresolved-reference', 'QUEUE_URL'),
        'env/missing@services.api.env.RESEND_API_KEY',
        CONTRACT_REFERENCE,
        'env/env-file-not-found@.env.development:',
      ].sort(),
    );
  });

  it('says which item of a list broke which rule, and suggests the variable a reference meant', async () => {
    const { diagnostics } = await check();
    const messages = diagnostics.map((d) => `${d.message} ${d.hint ?? ''}`);
    expect(messages).toContainEqual(expect.stringMatching(/CORS_ORIGINS \(api\) item 2 uses http:\/\//));
    expect(messages).toContainEqual(expect.stringMatching(/CORS_ORIGINS \(api\) item 3 points at localhost/));
    expect(messages).toContainEqual(expect.stringMatching(/PGPROT.*did you mean PGPORT\?/));
    expect(messages).toContainEqual(expect.stringMatching(/SESSION_KEY .* in staging \(\.env\.staging\)/));
  });

  it('passes values that meet the contract; references and interpolations are left to the platform', async () => {
    await writeFile(join(cwd, '.env.good'), `${GOOD.join('\n')}\n`);
    const result = await check({ from: 'file:.env.good' });
    expect(valueProblems(result.diagnostics)).toEqual([]);
  });

  it('checks the process environment by config path, and still compares its secrets with the env files', async () => {
    const env = Object.fromEntries(
      GOOD.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const result = await check({
      from: 'process',
      env: { ...env, SESSION_KEY: SECRETS.session, LOG_LEVEL: 'loud' },
    });
    expect(result.source).toEqual({ kind: 'process' });
    expect(valueProblems(result.diagnostics).map(where).sort()).toEqual([
      'env/not-in-enum@services.api.env.LOG_LEVEL',
      'env/reused-secret@services.api.env.SESSION_KEY',
    ]);
  });

  it('warns rather than fails about placeholders and weak secrets outside production', async () => {
    await writeFile(join(cwd, '.env.weak'), `JWT_SECRET=password123456789\nSTRIPE_SECRET_KEY=changeme\n`);
    const { diagnostics } = await check({ environment: 'staging', from: 'file:.env.weak' });
    const soft = diagnostics.filter((d) => d.code === 'env/weak-secret' || d.code === 'env/placeholder');
    expect(soft.map((d) => [d.code, d.severity])).toEqual([
      ['env/weak-secret', 'warning'],
      ['env/placeholder', 'warning'],
    ]);
  });

  it('reports a reference to a service disabled in the environment', async () => {
    const { diagnostics } = await check({ environment: 'development', from: 'process' });
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'env/unresolved-reference',
        message: expect.stringContaining('disabled in development'),
        location: { path: 'services.api.env.DATABASE_URL' },
      }),
    );
  });

  it('turns a missing file into a user error with a way forward', async () => {
    const missing = check({ from: 'file:.env.nope' });
    await expect(missing).rejects.toBeInstanceOf(UserError);
    await expect(missing).rejects.toMatchObject({ code: 'env/file-not-found' });
  });

  it('fails an empty contract instead of saying it holds', async () => {
    const { validateConfigText } = await import('../../config/validate.js');
    const bare = validateConfigText('name: t\nservices:\n  web: { kind: web }\n', 'opsbook.yaml').config!;
    const result = await checkEnv({ cwd, config: bare, configFile: 'opsbook.yaml', env: { PATH: '/bin' } });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'env/empty-contract',
        severity: 'error',
        location: { path: 'services' },
      }),
    ]);
  });

  it('turns a folder given as the env file into a user error, not a crash', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(cwd, 'envs'), { recursive: true });
    const folder = check({ from: 'file:envs' });
    await expect(folder).rejects.toBeInstanceOf(UserError);
    await expect(folder).rejects.toMatchObject({
      code: 'env/not-a-file',
      message: expect.stringContaining('envs is a folder'),
    });
  });
});
