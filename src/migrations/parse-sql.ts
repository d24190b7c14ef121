/**
 * Splits a migration file into statements with the real Postgres parser. The statement boundaries come from
 * libpg-query's `stmt_location`/`stmt_len`, so dollar quotes, `DO` blocks and semicolons in strings are handled
 * exactly as the server will handle them.
 */
import type { Node, ParseResult } from 'libpg-query';
import { instantiateParser, type ParseSync, parserModule, type WasmModule } from './pg-parser.js';

export interface SqlStatement {
  index: number;
  /** The AST node, e.g. `{ IndexStmt: {...} }`. */
  node: Node;
  /** The node type, e.g. `IndexStmt`. */
  kind: string;
  /** The statement's source text, without the terminating semicolon. */
  text: string;
  /** Character offsets into the file text. */
  start: number;
  end: number;
}

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

export interface ParsedSql {
  text: string;
  statements: SqlStatement[];
  /** Set when the file does not parse; `statements` is then empty. */
  error?: { message: string; offset: number };
  /** Character offset of a parser location (libpg-query reports UTF-8 byte offsets). */
  charOffset(byteOffset: number): number;
  position(charOffset: number): Position;
}

let loaded: Promise<void> | undefined;
let parseSync: ParseSync;

/**
 * Loads the WASM parser once; afterwards parsing is synchronous. A lint worker passes the module its parent
 * compiled, so it only instantiates it.
 */
export function loadParser(module?: WasmModule): Promise<void> {
  loaded ??= (async () => {
    parseSync = await instantiateParser(module ?? (await parserModule()));
  })();
  return loaded;
}

export async function parseSql(text: string): Promise<ParsedSql> {
  await loadParser();
  return parseSqlSync(text);
}

/** Only after `loadParser()` has resolved. */
export function parseSqlSync(text: string): ParsedSql {
  const charOffset = createOffsetMap(text);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };
  const base = { text, charOffset, position };
  let raw: ParseResult['stmts'];
  try {
    raw = text.trim() === '' ? [] : (parseSync(text).stmts ?? []);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const offset = charOffset(Math.max(0, details?.cursorPosition ?? 0));
    return { ...base, statements: [], error: { message: (error as Error).message, offset } };
  }
  const statements = raw.flatMap((r, index): SqlStatement[] => {
    if (!r.stmt) return [];
    const start = charOffset(r.stmt_location ?? 0);
    // stmt_len is 0 or absent for the last statement when it runs to the end of the input.
    const end = r.stmt_len ? charOffset((r.stmt_location ?? 0) + r.stmt_len) : trimEnd(text);
    return [
      { index, node: r.stmt, kind: Object.keys(r.stmt)[0] ?? '', text: text.slice(start, end), start, end },
    ];
  });
  return { ...base, statements };
}

/** End of the text without trailing whitespace and a final semicolon. */
function trimEnd(text: string): number {
  let end = text.length;
  while (end > 0 && /[\s;]/.test(text[end - 1] ?? '')) end--;
  return end;
}

/** Maps UTF-8 byte offsets to string offsets; the identity for ASCII files, which are most migrations. */
function createOffsetMap(text: string): (byteOffset: number) => number {
  const bytes = Buffer.byteLength(text);
  if (bytes === text.length) return (b) => b;
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < size; k++) map[b + k] = i;
    b += size;
    if (code >= 0x10000) i++; // a surrogate pair is two string units
  }
  map[bytes] = text.length;
  return (byteOffset) => map[Math.min(byteOffset, bytes)] ?? text.length;
}
