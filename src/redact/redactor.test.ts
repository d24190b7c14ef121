import { describe, expect, it } from 'vitest';
import { createRedactor } from './index.js';

describe('redactor', () => {
  it('masks the longest secret first when one contains another', () => {
    const r = createRedactor(['ab12', 'ab12-cd34-ef56']);
    expect(r.redact('x ab12-cd34-ef56 y ab12')).toBe('x [REDACTED] y [REDACTED]');
  });

  it('masks each line of a multi-line secret printed a line at a time (a PEM key in a log)', () => {
    const body = [
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      'kq3Vb2Xy8Lr1Kp5Xw7Nt2Bc9Hs4Jd6Mf0GyQx',
    ];
    const pem = `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n-----END PRIVATE KEY-----`;
    const r = createRedactor([pem]);
    for (const line of body) expect(r.redact(`key: ${line}`)).toBe('key: [REDACTED]');
    expect(r.redact(`x ${pem} y`)).toBe('x [REDACTED] y');
    expect(r.redact('-----BEGIN PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('ignores values too short to be secrets', () => {
    const r = createRedactor(['1', 'a2']);
    expect(r.size).toBe(0);
    expect(r.redact('1 a2')).toBe('1 a2');
  });

  it('replaces whole tokens only, never the inside of a longer word', () => {
    const r = createRedactor(['tok_9f8e7d', 'pw-77aa']);
    expect(r.redact('key=tok_9f8e7d, "tok_9f8e7d"; tok_9f8e7dX and Xtok_9f8e7d stay')).toBe(
      'key=[REDACTED], "[REDACTED]"; tok_9f8e7dX and Xtok_9f8e7d stay',
    );
    expect(r.redact('pw-77aa pw-77aab')).toBe('[REDACTED] pw-77aab');
  });

  it('does not mask a dictionary word or a small number: prose stays readable (env check flags it as weak)', () => {
    const r = createRedactor(['production', 'Staging', '5432', 'Pr0duction!']);
    expect(r.size).toBe(1);
    expect(r.redact('deploying to production (not Staging) on port 5432 with Pr0duction!')).toBe(
      'deploying to production (not Staging) on port 5432 with [REDACTED]',
    );
  });

  it('masks the password of any URL even when nobody registered it', () => {
    const r = createRedactor();
    const url = 'postgres://app:hunter2-x@db/prod'; // gitleaks:allow
    expect(r.redact(`connect ${url} failed`)).toBe('connect postgres://app:[REDACTED]@db/prod failed');
    const redis = 'redis://:pw-abc@cache:6379'; // gitleaks:allow
    expect(r.redactData({ url: redis })).toEqual({
      url: 'redis://:[REDACTED]@cache:6379',
    });
  });

  it('deep-redacts keys and values of plain data', () => {
    const r = createRedactor(['tok_abcdef123']);
    expect(r.redactData({ a: ['x tok_abcdef123'], tok_abcdef123: 1 })).toEqual({
      a: ['x [REDACTED]'],
      '[REDACTED]': 1,
    });
  });

  it('copies only what it masks: clean data comes back as it is, the input is never changed', () => {
    const r = createRedactor(['tok_abcdef123']);
    const clean = { files: [{ file: 'a.sql', line: 3 }], ok: true };
    expect(r.redactData(clean)).toBe(clean);
    const input = { keep: { n: 1 }, list: ['plain', 'x tok_abcdef123', 'after'] };
    const out = r.redactData(input);
    expect(out).toEqual({ keep: { n: 1 }, list: ['plain', 'x [REDACTED]', 'after'] });
    expect(out.keep).toBe(input.keep);
    expect(input.list[1]).toBe('x tok_abcdef123');
  });

  it('keeps a __proto__ key an own property of the copy', () => {
    const r = createRedactor(['tok_abcdef123']);
    const input = JSON.parse('{"a":"tok_abcdef123","__proto__":{"polluted":true}}') as Record<
      string,
      unknown
    >;
    const out = r.redactData(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['a', '__proto__']);
    expect(JSON.stringify(out)).toBe('{"a":"[REDACTED]","__proto__":{"polluted":true}}');
  });
});
