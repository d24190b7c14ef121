import { describe, expect, it } from 'vitest';
import { compareEnv, fingerprintEnv } from './fingerprint.js';

const base = { service: 'api', environment: 'production', runId: 'run-1' };
const SECRET = 'Pz8Kq3Wn6Vb1Xr5T'; // gitleaks:allow (a fake secret for this test)

describe('env fingerprints', () => {
  it('keeps a salted hash per name and never a value', async () => {
    const values = {
      LOG_LEVEL: 'info',
      DATABASE_URL: `postgres://app:${SECRET}@db:5432/shop`,
      OTHER: 'info',
    };
    const f = await fingerprintEnv({ ...base, values });
    const stored = JSON.stringify(f);
    for (const v of ['info', SECRET]) expect(stored).not.toContain(v);
    expect(Object.keys(f.vars)).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'OTHER']);
    // The name is hashed with the value: two variables with one value do not share a hash.
    expect(f.vars.LOG_LEVEL).not.toBe(f.vars.OTHER);
    // A fresh salt each time: the same values do not give the same hashes in two fingerprints.
    const again = await fingerprintEnv({ ...base, values });
    expect(again.salt).not.toBe(f.salt);
    expect(again.vars.LOG_LEVEL).not.toBe(f.vars.LOG_LEVEL);
    expect(f.kdf).toMatchObject({ name: 'scrypt', N: 8192, r: 8 });
  });

  it('names the variables changed, added and removed since, and those it cannot compare', async () => {
    const f = await fingerprintEnv({
      ...base,
      values: { A: '1', B: '2', C: '3', SEALED: '' },
      unreadable: new Set(['SEALED']),
    });
    expect(f.vars.SEALED).toBeNull();
    expect(await compareEnv(f, { A: '1', B: '2', C: '3', SEALED: '' })).toEqual({
      changed: [],
      added: [],
      removed: [],
      unknown: ['SEALED'],
    });
    expect(await compareEnv(f, { A: '1', B: 'two', D: '4', SEALED: '' })).toEqual({
      changed: ['B'],
      added: ['D'],
      removed: ['C'],
      unknown: ['SEALED'],
    });
  });
});
