import { describe, expect, it } from 'vitest';
import { secretValuesOf } from './secret-values.js';

const values = (env: Record<string, string>) =>
  new Map(Object.entries(env).map(([k, value]) => [k, { value }]));

describe('secretValuesOf', () => {
  it('registers secret-looking names but not the shell working directories', () => {
    const found = secretValuesOf(
      values({ DB_PWD: 'hunter2hunter2', PWD: '/tmp/repo', OLDPWD: '/home/me', HOME: '/root' }),
      new Set(),
    );
    expect(found).toEqual(['hunter2hunter2']);
  });

  it('registers contract secrets and the password inside a connection URL', () => {
    const found = secretValuesOf(
      values({ APP: 'plain-value', URL: 'postgres://u:s3cr3tpw@db/x' }), // gitleaks:allow (fake)
      new Set(['APP']),
    );
    expect(found).toEqual(expect.arrayContaining(['plain-value', 's3cr3tpw']));
  });
});
