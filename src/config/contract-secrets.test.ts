import { describe, expect, it } from 'vitest';
import { createRedactor } from '../redact/index.js';
import { contractSecretNames, registerContractSecrets } from './contract-secrets.js';
import { validateConfigText } from './load.js';

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
});
