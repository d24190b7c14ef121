/**
 * Finds rule keywords in a text, case-insensitively: at every position, the longest keyword that starts there. The same
 * answer as one `gi` regex of all keywords (longest first) restarted one past each match, which it replaces because
 * that regex was half the scanner's time: here each position costs one table look-up of its two first characters
 * (ASCII-folded), and only the few keywords that start with that pair are compared.
 */

import { CHUNK, createTripleFilter } from './triple-filter.js';

/** Called for each position where a keyword starts, with the longest one (lower case). */
export type OnKeyword = (position: number, keyword: string) => void;
export type KeywordScan = (text: string, onKeyword: OnKeyword) => void;

/** ASCII letters folded to lower case; other bytes stay (a case-insensitive regex without `u` folds no other byte onto ASCII). */
const FOLD = new Uint8Array(256);
for (let c = 0; c < 256; c++) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `keywords` in lower case, without duplicates. */
export function compileKeywordScan(keywords: readonly string[]): KeywordScan | undefined {
  if (!keywords.length) return undefined;
  const sorted = [...keywords].sort((a, b) => b.length - a.length);
  // A one-character or non-ASCII keyword would need the general matcher (text bytes are latin1, keywords UTF-16).
  if (sorted.some((k) => k.length < 2 || /[^\x20-\x7e]/.test(k) || /[A-Z]/.test(k))) return regexScan(sorted);
  return sorted.every((k) => k.length >= 3) ? tripleScan(sorted) : pairScan(sorted);
}

/**
 * The usual case (gitleaks' keywords have three characters or more): a filter of each keyword's first three bytes in
 * either case rejects almost every position, 16 at a time (in WebAssembly: triple-filter.ts); a position that passes
 * is checked here against the keywords that start with its first two bytes.
 */
function tripleScan(sorted: readonly string[]): KeywordScan {
  const { groups, byPair } = groupByPair(sorted);
  const filter = createTripleFilter(sorted.map((k) => k.slice(0, 3)));
  return (text, onKeyword) => {
    filter.load(text);
    for (let from = 0; from < text.length; from += CHUNK) {
      const found = filter.filter(from, Math.min(text.length, from + CHUNK));
      const { positions } = filter;
      for (let k = 0; k < found; k++) {
        const start = positions[k] as number;
        // The filter saw characters above 0xff by their low byte: the pair is checked here, the rest in matchAt.
        const group = byPair[
          (fold(text.charCodeAt(start)) << 8) | fold(text.charCodeAt(start + 1))
        ] as number;
        const match = group === 0 ? undefined : matchAt(text, start, groups[group - 1]!);
        if (match !== undefined) onKeyword(start, match);
      }
    }
  };
}

interface Candidate {
  keyword: string;
  codes: Uint8Array;
}

/** Keywords grouped by their first two bytes, each group longest first; `byPair` maps every case spelling of a pair to 1 + its group (0: none). */
function groupByPair(sorted: readonly string[]): { groups: Candidate[][]; byPair: Uint16Array } {
  const groups: Candidate[][] = [];
  const byPair = new Uint16Array(65536);
  for (const keyword of sorted) {
    const codes = Uint8Array.from(keyword, (ch) => ch.charCodeAt(0));
    const key = pairOf(codes);
    let group = groups.findIndex((g) => g[0] && pairOf(g[0].codes) === key) + 1;
    if (group === 0) group = groups.push([]);
    groups[group - 1]!.push({ keyword, codes });
    for (const a of spellings(codes[0] as number))
      for (const b of spellings(codes[1] as number)) byPair[(a << 8) | b] = group;
  }
  return { groups, byPair };
}

/** The longest candidate spelled at `start` (its first two bytes already match), if any. */
function matchAt(text: string, start: number, candidates: readonly Candidate[]): string | undefined {
  for (const { keyword, codes } of candidates) {
    if (start + codes.length > text.length) continue;
    let j = 2;
    while (j < codes.length && fold(text.charCodeAt(start + j)) === codes[j]) j++;
    if (j === codes.length) return keyword;
  }
  return undefined;
}

/** Two-character keywords: each position's pair of bytes is looked up directly. */
function pairScan(sorted: readonly string[]): KeywordScan {
  const { groups, byPair } = groupByPair(sorted);
  return (text, onKeyword) => {
    const n = text.length;
    let pair = 0;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c > 255) c = 0; // not latin1: part of no ASCII keyword
      pair = ((pair << 8) | c) & 0xffff;
      const group = byPair[pair] as number;
      if (group === 0 || i === 0) continue;
      const match = matchAt(text, i - 1, groups[group - 1]!);
      if (match !== undefined) onKeyword(i - 1, match);
    }
  };
}

const pairOf = (codes: Uint8Array) => ((codes[0] as number) << 8) | (codes[1] as number);
/** A lower-case ASCII letter and its upper case; any other byte alone. */
const spellings = (code: number) => (code >= 97 && code <= 122 ? [code, code - 32] : [code]);

/** Bytes above latin1 cannot be part of an ASCII keyword: they fold to 0, which no keyword holds. */
function fold(code: number): number {
  return code < 256 ? (FOLD[code] as number) : 0;
}

/** The general case: one case-insensitive regex, longest keyword first, restarted one past each match. */
function regexScan(sorted: readonly string[]): KeywordScan {
  const re = new RegExp(sorted.map(escapeRegExp).join('|'), 'gi');
  return (text, onKeyword) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      re.lastIndex = m.index + 1; // overlapping keywords (`abc`, `cde` in `abcde`) each get their turn
      onKeyword(m.index, m[0].toLowerCase());
    }
  };
}
