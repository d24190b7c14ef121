import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { openStore } from './index.js';

const PASSWORD = 'hunter2-very-secret';

describe('openStore with a bad OPSBOOK_DATABASE_URL', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-open-'));
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  const failure = async (url: string) => {
    const error = await openStore({ cwd, env: { OPSBOOK_DATABASE_URL: url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const { message, hint, code } = error as UserError;
    expect(message).toContain('OPSBOOK_DATABASE_URL');
    expect(`${message} ${hint}`).not.toContain(PASSWORD);
    expect(hint).toBeTruthy();
    return { message, hint: hint ?? '', code };
  };

  it('rejects an unparseable URL without echoing it', async () => {
    const { code, hint } = await failure(`postgres//admin:${PASSWORD}@db`);
    expect(code).toBe('store/bad-database-url');
    expect(hint).toContain('postgres://');
  });

  it('rejects a URL that is not postgres://, with the password masked', async () => {
    const { code, message } = await failure(`mysql://admin:${PASSWORD}@db.example/app`);
    expect(code).toBe('store/bad-database-url');
    expect(message).toContain('mysql://admin:[REDACTED]@db.example/app');
  });

  it('reports an unreachable server with the password masked and a fix', async () => {
    const { code, message, hint } = await failure(`postgres://admin:${PASSWORD}@127.0.0.1:1/app`);
    expect(code).toBe('store/unreachable');
    expect(message).toContain('postgres://admin:[REDACTED]@127.0.0.1:1/app');
    expect(hint).toContain('unset OPSBOOK_DATABASE_URL');
  });
});
