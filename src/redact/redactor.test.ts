import { describe, expect, it } from 'vitest';
import { createRedactor } from './index.js';

describe('redactor', () => {
  it('masks the longest secret first when one contains another', () => {
    const r = createRedactor(['abcd', 'abcdefgh']);
    expect(r.redact('x abcdefgh y abcd')).toBe('x [REDACTED] y [REDACTED]');
  });

  it('ignores values too short to be secrets', () => {
    const r = createRedactor(['1', 'ab']);
    expect(r.size).toBe(0);
    expect(r.redact('1 ab')).toBe('1 ab');
  });

  it('deep-redacts keys and values of plain data', () => {
    const r = createRedactor(['tok_abcdef123']);
    expect(r.redactData({ a: ['x tok_abcdef123'], tok_abcdef123: 1 })).toEqual({
      a: ['x [REDACTED]'],
      '[REDACTED]': 1,
    });
  });
});
