import { describe, expect, it } from 'vitest';
import { compileKeywordScan } from './keyword-scan.js';

/** The matcher it replaces: one `gi` regex of the keywords, longest first, restarted one past each match. */
function reference(keywords: string[], text: string): string[] {
  const sorted = [...keywords].sort((a, b) => b.length - a.length);
  const re = new RegExp(sorted.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  const out: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    re.lastIndex = m.index + 1;
    out.push(`${m.index}:${m[0].toLowerCase()}`);
  }
  return out;
}

function scan(keywords: string[], text: string): string[] {
  const out: string[] = [];
  compileKeywordScan(keywords)?.(text, (at, keyword) => out.push(`${at}:${keyword}`));
  return out;
}

const TEXTS = [
  'const API_KEY = "x"; Secret_Access_Key=1 secretaccesskey',
  'SECRETACCESSKEYkeyKEYkEy -----BEGIN RSA PRIVATE KEY-----',
  // Overlaps (`passw` in `password`, `key` right after), a keyword cut by the end, latin1 and wider characters.
  'passwordkey pass passw pas ke k\u00c0KEY\u00ff\u212aey s\u0131ecret secre',
  'tokentokentoke',
  '',
];

describe('compileKeywordScan', () => {
  it('finds what the case-insensitive regex finds, at the same positions, for three-letter keywords', () => {
    const keywords = [
      'secret_access_key',
      'secretaccesskey',
      'secret',
      'key',
      'passw',
      'pass',
      'token',
      '-----begin',
    ];
    for (const text of TEXTS) expect(scan(keywords, text), text).toEqual(reference(keywords, text));
    expect(scan(keywords, TEXTS[0]!)).toContain(`${TEXTS[0]!.indexOf('Secret_')}:secret_access_key`);
  });

  it('does the same with two-letter keywords and with keywords it cannot fold itself', () => {
    for (const keywords of [
      ['ke', 'key', 'pa', 'tok'],
      ['k', 'key'],
      ['clé', 'key'],
    ]) {
      for (const text of [...TEXTS, 'CLÉ clé'])
        expect(scan(keywords, text), text).toEqual(reference(keywords, text));
    }
  });

  it('finds keywords across the 64 KiB chunks it filters at a time', () => {
    const keywords = ['secret', 'key', 'token'];
    for (const at of [65530, 65533, 65534, 65535, 65536, 131070]) {
      const text = `${'x'.repeat(at)}TOKEN secret${'y'.repeat(at)}kEy`;
      expect(scan(keywords, text), String(at)).toEqual(reference(keywords, text));
    }
  });

  it('has nothing to scan without keywords', () => {
    expect(compileKeywordScan([])).toBeUndefined();
  });
});
