import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, writeFixture } from '../../../test/support/checks/env/fixture.js';
import { loadConfig, type StackConfig } from '../../config/index.js';
import { diffEnv } from './diff.js';

let cwd: string;
let config: StackConfig;
let configFile: string;

beforeAll(async () => {
  cwd = await writeFixture();
  const loaded = await loadConfig({ cwd });
  config = loaded.config!;
  configFile = loaded.file;
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('diffEnv', () => {
  it('lists required keys that are not set and set keys no contract declares', async () => {
    const result = await diffEnv({ cwd, config, configFile, env: {} });
    expect(result.missing).toEqual([{ key: 'RESEND_API_KEY', services: ['api'] }]);
    expect(result.extra).toEqual(['OLD_API_TOKEN', 'QUEUE_URL']);
    expect(result.changed).toEqual([]);
  });

  it('compares two files by hash: changed, and keys only on one side', async () => {
    const result = await diffEnv({ cwd, config, configFile, env: {}, against: 'file:.env.staging' });
    expect(result.against).toEqual({ kind: 'file', file: '.env.staging' });
    // SESSION_KEY is the same value in both files, so it is not changed.
    expect(result.changed).toEqual(['JWT_SECRET', 'LOG_LEVEL', 'NEXTAUTH_SECRET']);
    expect(result.onlyInSource).toContain('STRIPE_SECRET_KEY');
    expect(result.onlyInAgainst).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(SECRETS.session);
  });

  it('leaves extra keys out for the process environment and compares only the keys that matter there', async () => {
    const result = await diffEnv({
      cwd,
      config,
      configFile,
      from: 'process',
      env: { PATH: '/usr/bin', JWT_SECRET: SECRETS.stagingJwt, LOG_LEVEL: 'DEBUG' },
      against: 'file:.env.staging',
    });
    expect(result.extra).toBeNull();
    expect(result.changed).toEqual([]);
    expect(result.onlyInSource).toEqual([]);
    expect(result.onlyInAgainst).toEqual(['NEXTAUTH_SECRET', 'SESSION_KEY']);
    expect(result.missing.map((m) => m.key)).toContain('NEXTAUTH_SECRET');
    expect(result.missing.map((m) => m.key)).not.toContain('JWT_SECRET');
  });
});
