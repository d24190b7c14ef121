import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_URL,
  PLATFORM_VALUES,
  type ProviderStack,
  startProviderStack,
  TOKENS,
} from '../../../test/support/checks/env/provider-fixture.js';
import { loadConfig, type StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { createRedactor } from '../../redact/index.js';
import { checkEnv } from './check.js';
import { diffEnv } from './diff.js';

let stack: ProviderStack;
let config: StackConfig;
let configFile: string;

beforeAll(async () => {
  stack = await startProviderStack();
  const loaded = await loadConfig({ cwd: stack.cwd });
  config = loaded.config!;
  configFile = loaded.file;
});
afterAll(() => stack.close());

const options = (env: NodeJS.ProcessEnv = stack.env) => ({
  cwd: stack.cwd,
  config,
  configFile,
  from: 'provider',
  env,
  redactor: createRedactor(),
});

/** `code key(service)` for each diagnostic about a contract variable, `code path` for the others. */
const summary = (list: Diagnostic[]) =>
  list.map((d) => `${d.severity} ${d.code} ${d.location?.path ?? ''}`).sort();

describe('env check --from provider', () => {
  it("checks each service's contract against its own platform's values", async () => {
    const result = await checkEnv(options());
    expect(result.source).toEqual({ kind: 'provider' });
    expect(result.ok).toBe(false);
    expect(summary(result.diagnostics)).toEqual(
      [
        'error env/too-short services.api.env.JWT_SECRET',
        'error env/not-in-enum services.api.env.LOG_LEVEL',
        'error env/not-https services.api.env.CORS_ORIGINS',
        // Set on Vercel for web, which does not make it set for api on Render (and the reverse for STRIPE).
        'error env/missing services.api.env.RESEND_API_KEY',
        'error env/missing services.web.env.STRIPE_SECRET_KEY',
        'error env/not-https services.web.env.NEXT_PUBLIC_API_URL',
        'info env/value-not-readable services.web.env.NEXTAUTH_SECRET',
        'info env/not-checked services.worker.provider',
        'info env/not-checked services.docs.provider',
      ].sort(),
    );
  });

  it("checks a preview environment against Vercel's preview target, not production's", async () => {
    const withPreview = {
      ...config,
      environments: { ...config.environments, preview: { protected: false } },
    };
    const result = await checkEnv({ ...options(), config: withPreview, environment: 'preview' });
    const web = summary(result.diagnostics).filter((d) => d.includes('services.web.'));
    // STRIPE_SECRET_KEY is set for preview only; NEXT_PUBLIC_API_URL and NEXTAUTH_SECRET for production only.
    expect(web).toEqual([
      'error env/missing services.web.env.NEXTAUTH_SECRET',
      'error env/missing services.web.env.NEXT_PUBLIC_API_URL',
    ]);
  });

  it('reports a sensitive Vercel value as set but not readable, never as missing or weak', async () => {
    const { diagnostics } = await checkEnv(options());
    const nextauth = diagnostics.filter((d) => d.location?.path === 'services.web.env.NEXTAUTH_SECRET');
    expect(nextauth).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: expect.stringMatching(
          /NEXTAUTH_SECRET \(web\) is set on Vercel for web \(value not readable: a Vercel sensitive variable.*compared by presence only/,
        ),
      }),
    ]);
  });

  it('says why a service was not read: a provider without getEnv, or no provider', async () => {
    const { diagnostics } = await checkEnv(options());
    const messages = diagnostics.filter((d) => d.code === 'env/not-checked').map((d) => d.message);
    expect(messages).toEqual([
      'worker was not checked against a platform: the local provider cannot read env vars from a platform',
      'docs was not checked against a platform: it has no provider',
    ]);
  });

  it('turns a rejected token into a diagnostic naming the service and platform, and still checks the others', async () => {
    const result = await checkEnv(options({ ...stack.env, RENDER_API_KEY: 'rnd_wrong_token_000' }));
    const failure = result.diagnostics.find((d) => d.code === 'env/provider-error');
    expect(failure).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^could not read the env vars of api from Render: .*401/),
      location: { path: 'services.api.provider' },
    });
    // api's values are unknown, so none is reported missing; web's are still checked.
    expect(result.diagnostics.some((d) => d.location?.path?.startsWith('services.api.env.'))).toBe(false);
    expect(summary(result.diagnostics)).toContain('error env/missing services.web.env.STRIPE_SECRET_KEY');
  });

  it('reports a missing API token with the variable to set', async () => {
    const { VERCEL_TOKEN: _, ...env } = stack.env;
    const { diagnostics } = await checkEnv(options(env));
    expect(diagnostics.find((d) => d.code === 'env/provider-error')).toMatchObject({
      message:
        'could not read the env vars of web from Vercel: the API token variable VERCEL_TOKEN is not set',
      hint: expect.stringContaining('VERCEL_TOKEN'),
    });
  });

  it('registers the tokens and every secret value read with the redactor, and puts none in the result', async () => {
    const opts = options();
    const result = await checkEnv(opts);
    for (const secret of [TOKENS.render, TOKENS.vercel, PLATFORM_VALUES.jwt, PLATFORM_VALUES.dbPassword])
      expect(opts.redactor.redact(`<${secret}>`)).toBe('<[REDACTED]>');
    const text = JSON.stringify(result);
    for (const value of [...Object.values(TOKENS), ...Object.values(PLATFORM_VALUES), DATABASE_URL])
      expect(text).not.toContain(value);
  });
});

describe('env diff --from provider', () => {
  it("lists missing and extra keys per service, against each service's own contract", async () => {
    const result = await diffEnv(options());
    expect(result.missing).toEqual([
      { key: 'RESEND_API_KEY', services: ['api'] },
      { key: 'STRIPE_SECRET_KEY', services: ['web'] },
    ]);
    expect(result.services?.map((d) => [d.service, d.platform, d.extra, d.unreadable])).toEqual([
      ['api', 'render', ['NEXTAUTH_SECRET', 'OLD_API_TOKEN'], []],
      ['web', 'vercel', ['RESEND_API_KEY'], ['NEXTAUTH_SECRET']],
    ]);
    expect(result.extra).toEqual(['NEXTAUTH_SECRET', 'OLD_API_TOKEN', 'RESEND_API_KEY']);
    expect(summary(result.diagnostics)).toEqual([
      'info env/not-checked services.docs.provider',
      'info env/not-checked services.worker.provider',
    ]);
  });

  it('compares each platform with a file by hash, and a write-only value by presence only', async () => {
    const result = await diffEnv({ ...options(), against: 'file:.env.production' });
    expect(result.against).toEqual({ kind: 'file', file: '.env.production' });
    const [api, web] = result.services ?? [];
    expect(api).toMatchObject({
      changed: ['DATABASE_URL', 'LOG_LEVEL'],
      onlyInSource: ['CORS_ORIGINS', 'OLD_API_TOKEN'],
      onlyInAgainst: ['RESEND_API_KEY'],
    });
    // NEXTAUTH_SECRET is in the file and sensitive on Vercel: neither changed nor the same, just present.
    expect(web).toMatchObject({
      changed: [],
      unreadable: ['NEXTAUTH_SECRET'],
      onlyInSource: ['NEXT_PUBLIC_API_URL'],
      onlyInAgainst: [],
    });
    const text = JSON.stringify(result);
    for (const value of [...Object.values(TOKENS), ...Object.values(PLATFORM_VALUES)])
      expect(text).not.toContain(value);
  });

  it('refuses --against provider with the order that works', async () => {
    await expect(
      diffEnv({ ...options(), from: 'file:.env.production', against: 'provider' }),
    ).rejects.toThrow(/--against provider is not supported/);
  });
});
