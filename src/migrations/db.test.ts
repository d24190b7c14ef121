import { describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { UserError } from '../errors.js';
import { maskCredentials } from '../redact/index.js';
import { closeClient, connect, droppedReason, requireDatabaseUrl } from './db.js';
import { parsePgVersion } from './pg-version.js';

describe('connect', () => {
  it('refuses a URL the driver cannot parse (a port past 65535) as bad input, not a crash, without its password', async () => {
    const url = 'postgres://app:s3cret@127.0.0.1:99999/prod'; // gitleaks:allow (fake)
    const error = await connect(url, 'test').catch((e: unknown) => e as UserError);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'migration/bad-database-url' });
    expect((error as UserError).message).toMatch(/not a valid URL/);
    expect(`${(error as UserError).message} ${(error as UserError).hint}`).not.toContain('s3cret');
  });
});

describe('requireDatabaseUrl', () => {
  const accept = (databaseUrl: string) => requireDatabaseUrl({ cwd: '.', dir: 'migrations', databaseUrl });

  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(accept('postgres://app@db/prod')).toBe('postgres://app@db/prod');
    expect(accept('postgresql://app@db/prod')).toBe('postgresql://app@db/prod');
    // Pasted into a secret store with a space or a newline: the driver would look up a host named "base".
    expect(accept(' postgres://app@db/prod\n')).toBe('postgres://app@db/prod');
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
      // Printed through the redactor, an example URL with a password would read "user:[REDACTED]@".
      expect(maskCredentials(error?.hint ?? '')).toBe(error?.hint);
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

const available = await pgAvailable();
if (!available) markPgSkipped(`dropped-connection reason test: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('droppedReason', () => {
  it('names why a connection dropped while idle, not only that the client is no longer queryable', async () => {
    const client = await connect(pgUrl(), 'test-dropped');
    const admin = await connect(pgUrl(), 'test-admin');
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const ended = new Promise((resolve) => client.once('end', resolve));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await ended;
      const error = await client.query('SELECT 1').catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/not queryable/);
      expect(droppedReason(client, error)).toMatch(/^terminating connection due to administrator command/);
      expect(droppedReason(client, new Error('canceling statement due to statement timeout'))).toBe(
        'canceling statement due to statement timeout',
      );
    } finally {
      await closeClient(client);
      await closeClient(admin);
    }
  });
});
