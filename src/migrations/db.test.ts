import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { requireDatabaseUrl } from './db.js';
import { parsePgVersion } from './pg-version.js';

describe('requireDatabaseUrl', () => {
  const accept = (databaseUrl: string) => requireDatabaseUrl({ cwd: '.', dir: 'migrations', databaseUrl });

  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(accept('postgres://app@db/prod')).toBe('postgres://app@db/prod');
    expect(accept('postgresql://app@db/prod')).toBe('postgresql://app@db/prod');
  });

  it('rejects anything else as bad input, without printing its password', () => {
    const mysql = 'mysql://app:s3cret@db/prod'; // gitleaks:allow (fake)
    for (const url of ['localhost:5432/prod', mysql, 'host=db password=s3cret']) {
      const error = (() => {
        try {
          accept(url);
        } catch (e) {
          return e as UserError;
        }
      })();
      expect(error).toBeInstanceOf(UserError);
      expect(error?.code).toBe('migration/bad-database-url');
      expect(error?.message).not.toContain('s3cret');
    }
  });
});

describe('parsePgVersion', () => {
  it('reads majors, minors and server_version_num', () => {
    expect([parsePgVersion(15), parsePgVersion('14.2'), parsePgVersion(150020), parsePgVersion('')]).toEqual([
      { major: 15, minor: 0 },
      { major: 14, minor: 2 },
      { major: 15, minor: 20 },
      undefined,
    ]);
  });
});
