import { describe, expect, it } from 'vitest';
import { credentialPassword, maskCredentials, scrubConnection, separatePassword } from './index.js';

describe('credentials in connection strings', () => {
  it('masks URL passwords and key=value passwords, keeping host, user and path', () => {
    const url = 'postgres://app:s3cr%40t@db.example.com:5432/prod?sslmode=require'; // gitleaks:allow (fake)
    expect(maskCredentials(url)).toBe('postgres://app:[REDACTED]@db.example.com:5432/prod?sslmode=require');
    expect(maskCredentials('host=db user=app password=s3cret dbname=prod')).toBe(
      'host=db user=app password=[REDACTED] dbname=prod',
    );
    expect(maskCredentials('postgres://app@db/prod')).toBe('postgres://app@db/prod');
  });

  it('masks URLs inside prose and a token used as the user name', () => {
    const text =
      'GET https://admin:pw-123@api.test/ready failed; clone https://ghp_0123456789abcdefghijklmnopqrstuvwxyz@github.com/x'; // gitleaks:allow (fake)
    expect(maskCredentials(text)).toBe(
      'GET https://admin:[REDACTED]@api.test/ready failed; clone https://[REDACTED]@github.com/x',
    );
    expect(maskCredentials('https://admin:pw-123@api.test', { hideUser: true })).toBe(
      'https://[REDACTED]@api.test',
    );
  });

  it('finds the decoded password to register, and scrubs it where a driver echoes it alone', () => {
    const url = 'postgres://app:s3cr%40t@db/prod'; // gitleaks:allow (fake)
    expect(credentialPassword(url)).toBe('s3cr@t');
    expect(credentialPassword("host=db password='a b c'")).toBe('a b c');
    expect(credentialPassword('postgres://app@db/prod')).toBeUndefined();
    expect(scrubConnection('auth failed for s3cr@t', url)).toBe('auth failed for [REDACTED]');
  });

  it('separates the password from a connection for a child process, decoded', () => {
    const url = 'postgres://app:p%40ss@db:5432/prod'; // gitleaks:allow (a fake password for this test)
    expect(separatePassword(url)).toEqual({
      connection: 'postgres://app@db:5432/prod',
      password: 'p@ss',
    });
    expect(separatePassword('postgres://app@db/prod')).toEqual({ connection: 'postgres://app@db/prod' });
    expect(separatePassword('host=db password=x1')).toEqual({
      connection: 'host=db password=x1',
      password: 'x1',
    });
  });
});
