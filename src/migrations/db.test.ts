import { describe, expect, it } from 'vitest';
import { maskDatabaseUrl, redactPassword } from './db.js';
import { parsePgVersion } from './pg-version.js';

describe('database URLs', () => {
  it('masks the password of URLs and key=value strings', () => {
    expect(maskDatabaseUrl('postgres://app:s3cr%40t@db.example.com:5432/prod?sslmode=require')).toBe(
      // gitleaks:allow (a fake secret for this test)
      'postgres://app:****@db.example.com:5432/prod?sslmode=require',
    );
    expect(maskDatabaseUrl('host=db user=app password=s3cret dbname=prod')).toBe(
      'host=db user=app password=**** dbname=prod',
    );
    expect(maskDatabaseUrl('postgres://app@db/prod')).toBe('postgres://app@db/prod');
  });

  it('removes the decoded password from driver messages', () => {
    expect(redactPassword('auth failed for s3cr@t', 'postgres://app:s3cr%40t@db/prod')).toBe(
      // gitleaks:allow (a fake secret for this test)
      'auth failed for ****',
    );
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
