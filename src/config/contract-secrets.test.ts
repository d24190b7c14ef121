import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../redact/index.js';
import { contractSecretNames, registerContractSecrets } from './contract-secrets.js';
import { validateConfigText } from './validate.js';

const { config } = validateConfigText(
  `name: s
environments: { production: {}, staging: {} }
services:
  api:
    kind: web
    env:
      API_TOKEN: { secret: true }
      LOG_LEVEL: { required: false }
    overrides:
      staging: { env: { STAGING_ONLY: { secret: true } } }
  worker:
    kind: worker
    env: { QUEUE_PASSWORD: { secret: true } }
`,
  'opsbook.yaml',
);

describe('the contract secrets', () => {
  it('are every variable marked secret, in any service or override', () => {
    expect([...contractSecretNames(config!)].sort()).toEqual(['API_TOKEN', 'QUEUE_PASSWORD', 'STAGING_ONLY']);
  });

  it('join the redactor with their values from the environment, and nothing else does', () => {
    const redactor = createRedactor();
    const token = ['tok', 'abcdef', '123456'].join('-'); // built at run time: no key-shaped literal in the repo
    registerContractSecrets(config!, { API_TOKEN: token, LOG_LEVEL: 'debug-verbose' }, redactor);
    expect(redactor.redact(`API_TOKEN=${token} LOG_LEVEL=debug-verbose`)).toBe(
      'API_TOKEN=[REDACTED] LOG_LEVEL=debug-verbose',
    );
  });

  it('also mask secret-looking values outside the contract, from the environment and every .env file, at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-secrets-'));
    const part = (...p: string[]) => p.join('_'); // built at run time: no key-shaped literal in the repo
    const stripe = part('sk', 'live', 'Zx81nQ4vRt62LmPa');
    const shaped = part('ghp', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
    const fromFile = part('whsec', 'Q9w8E7r6T5y4U3i2O1p0');
    const dbPassword = ['pg', 'pw', '7731'].join('-');
    writeFileSync(join(dir, '.env.production'), `SIGNING_SECRET=${fromFile}\nPLAIN=visible-value\n`);
    writeFileSync(join(dir, '.env.example'), 'SIGNING_SECRET=example-only-value\n');
    const redactor = createRedactor();
    registerContractSecrets(
      config!,
      {
        STRIPE_SECRET_KEY: stripe,
        UNREMARKABLE_NAME: shaped,
        DATABASE_URL: `postgres://app:${dbPassword}@db/prod`,
        HOME: '/home/app-user',
      },
      redactor,
      { dir },
    );
    rmSync(dir, { recursive: true, force: true });
    const text = `${stripe} ${shaped} ${fromFile} ${dbPassword} visible-value example-only-value /home/app-user`;
    expect(redactor.redact(text)).toBe(
      '[REDACTED] [REDACTED] [REDACTED] [REDACTED] visible-value example-only-value /home/app-user',
    );
  });
});
