import { describe, expect, it } from 'vitest';
import type { EnvFingerprint } from './fingerprint.js';
import { carrySince } from './since.js';

const fp = (runId: string, at: string, vars: EnvFingerprint['vars'], since?: EnvFingerprint['since']) =>
  ({
    service: 'api',
    environment: 'production',
    runId,
    recordedAt: at,
    kdf: { name: 'scrypt', N: 8192, r: 8, p: 1, keyLength: 32 },
    salt: 'c2FsdA==',
    vars,
    ...(since ? { since } : {}),
  }) as EnvFingerprint;

describe('carrySince', () => {
  it('dates a changed or added value at this deploy, keeps the date of an unchanged one, skips write-only ones', () => {
    const first = fp('run-1', '2030-01-01T00:00:00.000Z', { A: 'x', B: 'y', C: null });
    expect(carrySince(first, undefined, undefined)).toEqual({
      A: { runId: 'run-1', at: '2030-01-01T00:00:00.000Z', rotated: false },
      B: { runId: 'run-1', at: '2030-01-01T00:00:00.000Z', rotated: false },
    });
    const previous = { ...first, since: carrySince(first, undefined, undefined) };
    const next = fp('run-2', '2030-02-01T00:00:00.000Z', { A: 'p', B: 'q', C: 'r', D: 's' });
    expect(carrySince(next, previous, { changed: ['A'], added: ['D'], removed: [], unknown: ['C'] })).toEqual(
      {
        A: { runId: 'run-2', at: '2030-02-01T00:00:00.000Z', rotated: true },
        B: { runId: 'run-1', at: '2030-01-01T00:00:00.000Z', rotated: false },
        C: { runId: 'run-2', at: '2030-02-01T00:00:00.000Z', rotated: false },
        D: { runId: 'run-2', at: '2030-02-01T00:00:00.000Z', rotated: true },
      },
    );
  });
});
