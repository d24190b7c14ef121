import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv.js';

const SAMPLE = [
  '# a comment',
  '',
  'PLAIN=value',
  'SPACED = padded  ',
  'export EXPORTED=yes',
  'COMMENTED=kept # dropped',
  'HASH=a#b',
  'DOUBLE="two words # not a comment"',
  "SINGLE='raw \\n stays'",
  'ESCAPED="line1\\nline2"',
  'MULTI="first',
  'second"',
  'AFTER=after-multi',
  'EMPTY=',
].join('\n');

describe('parseDotenv', () => {
  it('reads the values Node util.parseEnv reads, with the line of each assignment', () => {
    const { entries, diagnostics } = parseDotenv(SAMPLE, '.env');
    expect(diagnostics).toEqual([]);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual(parseEnv(SAMPLE));
    const line = (key: string) => entries.find((e) => e.key === key)?.line;
    expect(line('PLAIN')).toBe(3);
    expect(line('EXPORTED')).toBe(5);
    expect(line('MULTI')).toBe(11);
    expect(line('AFTER')).toBe(13);
  });

  it('reports a line that is not an assignment without quoting it', () => {
    const secret = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'; // gitleaks:allow (a fake secret for this test)
    const { entries, diagnostics } = parseDotenv(`A=1\noops ${secret}\nB=2`, '.env.production');
    expect(entries.map((e) => e.key)).toEqual(['A', 'B']);
    expect(diagnostics).toMatchObject([
      { code: 'env/syntax', location: { file: '.env.production', line: 2 } },
    ]);
    expect(JSON.stringify(diagnostics)).not.toContain(secret);
  });

  it('says once that a UTF-16 file is not UTF-8, instead of a syntax error per line', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A=1\r\nB=2\r\n', 'utf16le')]);
    const r = parseDotenv(utf16.toString('utf8'), '.env');
    expect(r.entries).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'env/not-utf8', severity: 'error', location: { file: '.env' } }),
    ]);
  });

  it('reports an unclosed quote at the line where it opens', () => {
    const { diagnostics } = parseDotenv('A=1\nB="never closed\nC=3', '.env');
    expect(diagnostics).toMatchObject([{ code: 'env/syntax', location: { line: 2 } }]);
  });

  it('warns about a key assigned twice and keeps the last value', () => {
    const { entries, diagnostics } = parseDotenv('A=1\nB=2\nA=3', '.env');
    expect(entries.find((e) => e.key === 'A')).toEqual({ key: 'A', value: '3', line: 3 });
    expect(diagnostics).toMatchObject([
      { code: 'env/duplicate-key', severity: 'warning', location: { line: 3 } },
    ]);
  });
});
