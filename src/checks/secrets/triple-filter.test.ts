import { describe, expect, it } from 'vitest';
import { CHUNK, createTripleFilter } from './triple-filter.js';

const BEGINNINGS = ['sec', 'key', 'tok', 'sk-', '---', 'a3t', 'xox', 're_'];

/** Every position where a beginning starts, ASCII letters in either case, characters seen by their low byte. */
function reference(text: string): number[] {
  const lowByte = (i: number) => String.fromCharCode(text.charCodeAt(i) & 0xff);
  const out: number[] = [];
  for (let s = 0; s + 3 <= text.length; s++) {
    const triple = [0, 1, 2].map((o) => lowByte(s + o).replace(/[A-Z]/, (c) => c.toLowerCase())).join('');
    if (BEGINNINGS.includes(triple)) out.push(s);
  }
  return out;
}

function positions(filter: ReturnType<typeof createTripleFilter>, text: string): number[] {
  filter.load(text);
  const out: number[] = [];
  for (let from = 0; from < text.length; from += CHUNK) {
    const found = filter.filter(from, Math.min(text.length, from + CHUNK));
    out.push(...filter.positions.subarray(0, found));
  }
  return out;
}

describe('createTripleFilter', () => {
  it('reports exactly the positions where a beginning starts, in texts of every length around its 16-byte steps', () => {
    const filter = createTripleFilter(BEGINNINGS);
    // A pseudo-random alphabet of keyword bytes in both cases, near misses and wide characters (low byte 'k').
    const alphabet = 'sSeEcCkKyYtToO-3a_xXrR:q\u016b\u016b';
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let length = 0; length <= 70; length++)
      for (let round = 0; round < 20; round++) {
        const text = Array.from({ length }, () => alphabet[next() % alphabet.length]).join('');
        expect(positions(filter, text), JSON.stringify(text)).toEqual(reference(text));
      }
  });

  it('sees nothing past the end of a text, even where a longer text left a beginning', () => {
    const filter = createTripleFilter(BEGINNINGS);
    expect(positions(filter, `${'x'.repeat(5)}${'KEY'.repeat(20)}`)).toHaveLength(20);
    for (const text of ['', 'k', 'ke', 'xke', `${'x'.repeat(14)}ke`, `${'x'.repeat(15)}ke`])
      expect(positions(filter, text), text).toEqual([]);
    expect(positions(filter, 'abKeY')).toEqual([2]);
  });

  it('finds beginnings across its 64 KiB calls', () => {
    const filter = createTripleFilter(BEGINNINGS);
    for (const at of [CHUNK - 3, CHUNK - 2, CHUNK - 1, CHUNK, 2 * CHUNK - 2]) {
      const text = `${'z'.repeat(at)}tOk${'z'.repeat(20)}`;
      expect(positions(filter, text), String(at)).toEqual([at]);
    }
  });
});
