import { describe, expect, it } from 'vitest';
import { translateRe2 } from './re2.js';

const compile = (pattern: string) => {
  const { source, flags } = translateRe2(pattern);
  return new RegExp(source, flags);
};

describe('translateRe2', () => {
  it('turns a leading (?i) into the i flag', () => {
    expect(translateRe2('(?i)secret')).toEqual({ source: 'secret', flags: 'i' });
  });

  it('expands scoped case-insensitive groups that V8 on Node 20 cannot parse', () => {
    const re = compile('(?i:api)_KEY');
    expect(re.test('API_KEY')).toBe(true);
    expect(re.test('api_KEY')).toBe(true);
    expect(re.test('api_key')).toBe(false);
  });

  it('turns case-insensitivity off inside (?-i:...)', () => {
    const re = compile('(?i)token=(?-i:AB[a-c]+)');
    expect(re.test('TOKEN=ABc')).toBe(true);
    expect(re.test('TOKEN=abc')).toBe(false);
  });

  it('folds character classes and ranges under a scoped flag', () => {
    const re = compile('x(?i:[a-c]+)y');
    expect(re.test('xABCy')).toBe(true);
    expect(re.test('xABDy')).toBe(false);
  });

  it('maps \\z, (?P<name>) and POSIX classes', () => {
    const re = compile('(?P<word>[[:alpha:]]+)\\z');
    expect(re.exec('abc def')?.groups?.word).toBe('def');
    expect(re.test('abc1')).toBe(false);
  });

  it('applies (?s) to dots in its group only', () => {
    const re = compile('(?s:a.b).c');
    expect(re.test('a\nbxc')).toBe(true);
    expect(re.test('a\nb\nc')).toBe(false);
  });

  it('rejects what it cannot translate, with the reason', () => {
    expect(() => translateRe2('\\pL+')).toThrow(/unicode classes/);
    expect(() => translateRe2('[[:nope:]]')).toThrow(/\[:nope:\]/);
  });
});
