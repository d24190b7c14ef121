/**
 * Translates the RE2 (Go) regex dialect of gitleaks rules to JavaScript. V8 on Node 20 has no scoped inline flags,
 * so `(?i:…)`, `(?-i:…)` and mid-pattern `(?i)` are expanded by hand: letters become `[aA]`, `.` under `s` becomes
 * `[\s\S]`. A pattern whose only flags lead it (`(?i)…`) keeps V8's own flag, which is faster.
 */
import type { RegexSpec } from './types.js';

interface Flags {
  i: boolean;
  s: boolean;
}

const POSIX: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7f',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
};

const isLetter = (c: string) => /^[a-zA-Z]$/.test(c);
const swapCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
const escapeLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function parseFlags(spec: string, base: Flags): Flags {
  const next = { ...base };
  let on = true;
  for (const c of spec) {
    if (c === '-') on = false;
    else if (c === 'i' || c === 's') next[c] = on;
    else if (c !== 'm' && c !== 'U') throw new Error(`unsupported inline flag '${c}'`);
  }
  return next;
}

/** Translates one `[...]` class starting at `start`; returns the JS class and the index after it. */
function translateClass(src: string, start: number, flags: Flags): [string, number] {
  let i = start + 1;
  let out = '[';
  if (src[i] === '^') {
    out += '^';
    i++;
  }
  const extra: string[] = [];
  let first = true;
  while (i < src.length && (src[i] !== ']' || first)) {
    first = false;
    const c = src[i] as string;
    if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      const name = src.slice(i + 2, end);
      const posix = POSIX[name];
      if (end < 0 || posix === undefined) throw new Error(`unsupported character class '[:${name}:]'`);
      out += posix;
      i = end + 2;
      continue;
    }
    if (c === '\\') {
      out += translateEscape(src[i + 1] ?? '', src, i, true);
      i += escapeLength(src, i);
      continue;
    }
    if (c === '[') out += '\\[';
    else out += c;
    if (flags.i && isLetter(c)) {
      const to = src[i + 1] === '-' && src[i + 2] !== ']' ? src[i + 2] : undefined;
      if (to && isLetter(to)) {
        extra.push(`${swapCase(c)}-${swapCase(to)}`);
        out += `-${to}`;
        i += 3;
        continue;
      }
      extra.push(swapCase(c));
    }
    i++;
  }
  if (i >= src.length) throw new Error('unterminated character class');
  return [`${out}${extra.join('')}]`, i + 1];
}

function escapeLength(src: string, i: number): number {
  if (src[i + 1] === 'x' && src[i + 2] === '{') return src.indexOf('}', i) - i + 1;
  if ((src[i + 1] === 'p' || src[i + 1] === 'P') && src[i + 2] === '{') return src.indexOf('}', i) - i + 1;
  if (src[i + 1] === 'p' || src[i + 1] === 'P') return 3;
  return 2;
}

function translateEscape(c: string, src: string, i: number, inClass: boolean): string {
  if (c === 'z') return inClass ? 'z' : '(?![\\s\\S])';
  if (c === 'A') return inClass ? 'A' : '(?<![\\s\\S])';
  if (c === 'x' && src[i + 2] === '{') {
    const hex = src.slice(i + 3, src.indexOf('}', i));
    return hex.length <= 2 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
  }
  if (c === 'p' || c === 'P') throw new Error('unicode classes (\\p) are not supported');
  return `\\${c}`;
}

/** Returns the JS source and flags for an RE2 pattern, or throws an Error saying what is unsupported. */
export function translateRe2(pattern: string): RegexSpec {
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  let globalFlags = '';
  if (lead?.[1]) {
    const f = lead[1];
    src = src.slice(lead[0].length);
    if (f.includes('i')) globalFlags += 'i';
    if (f.includes('s')) globalFlags += 's';
    if (f.includes('m')) globalFlags += 'm';
  }
  const scoped = /\(\?[-imsU]*[is-][-imsU]*[:)]/.test(src.replace(/\\./g, ''));
  // With scoped flags, emulate every flag by hand so the regions can differ.
  const start: Flags = { i: scoped && globalFlags.includes('i'), s: scoped && globalFlags.includes('s') };
  const jsFlags = scoped ? globalFlags.replace(/[is]/g, '') : globalFlags;
  const stack: Flags[] = [];
  let flags = start;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\\') {
      if (src[i + 1] === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const literal = src.slice(i + 2, end < 0 ? undefined : end);
        out += flags.i
          ? [...literal].map((ch) => (isLetter(ch) ? `[${ch}${swapCase(ch)}]` : escapeLiteral(ch))).join('')
          : escapeLiteral(literal);
        i = end < 0 ? src.length : end + 2;
        continue;
      }
      out += translateEscape(src[i + 1] ?? '', src, i, false);
      i += escapeLength(src, i);
    } else if (c === '[') {
      const [cls, next] = translateClass(src, i, flags);
      out += cls;
      i = next;
    } else if (c === '(') {
      const inline = /^\(\?([-imsU]+)(:|\))/.exec(src.slice(i, i + 12));
      if (inline?.[1] && inline[2] === ')') {
        flags = parseFlags(inline[1], flags); // applies to the rest of the enclosing group
        i += inline[0].length;
      } else if (inline?.[1]) {
        stack.push(flags);
        flags = parseFlags(inline[1], flags);
        out += '(?:';
        i += inline[0].length;
      } else {
        stack.push(flags);
        if (src.startsWith('(?P<', i)) {
          out += '(?<';
          i += 4;
        } else {
          out += '(';
          i++;
        }
      }
    } else if (c === ')') {
      flags = stack.pop() ?? start;
      out += ')';
      i++;
    } else {
      if (flags.i && isLetter(c)) out += `[${c}${swapCase(c)}]`;
      else if (flags.s && c === '.') out += '[\\s\\S]';
      else out += c;
      i++;
    }
  }
  new RegExp(out, jsFlags); // surfaces anything V8 still rejects as an Error
  return { source: out, flags: jsFlags };
}
