/**
 * Our dotenv parser. Node's `util.parseEnv` exists on Node 20 but returns no line numbers, and every env
 * diagnostic points at the line that set the value. Syntax problems never quote the line: it may hold a secret.
 */
import type { Diagnostic } from '../../diagnostics/index.js';

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line of the assignment. */
  line: number;
}

export interface DotenvResult {
  /** In file order; when a key repeats, the last assignment wins (as in dotenv and Node). */
  entries: DotenvEntry[];
  diagnostics: Diagnostic[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** Reads a quoted value that may continue over several lines; returns the value and the last line index used. */
function readQuoted(
  lines: string[],
  start: number,
  rest: string,
): { value: string; end: number } | undefined {
  const quote = rest[0]!;
  let text = rest.slice(1);
  let index = start;
  for (;;) {
    const close = findClosingQuote(text, quote);
    if (close >= 0) {
      const tail = text.slice(close + 1).trim();
      if (tail && !tail.startsWith('#')) return undefined;
      const raw = text.slice(0, close);
      // Like dotenv and Node, only \n and \r are escapes, and only between double quotes.
      const value = quote === '"' ? raw.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : raw;
      return { value, end: index };
    }
    index++;
    if (index >= lines.length) return undefined;
    text += `\n${lines[index]}`;
  }
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

export function parseDotenv(text: string, file: string): DotenvResult {
  // UTF-16 (what Windows PowerShell's `>` writes): every line read as garbage, one syntax error each; the app's
  // dotenv reads it no better, so say once what is wrong with the file.
  if (text.includes('\0'))
    return {
      entries: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'env/not-utf8',
          message:
            'this file is not UTF-8 text (it holds NUL bytes: saved as UTF-16?), so no variable in it can be read',
          hint: 'save it as UTF-8 (PowerShell: Out-File -Encoding utf8), then check again',
          location: { file },
        },
      ],
    };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries = new Map<string, DotenvEntry>();
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i]!;
    if (!lineText.trim() || lineText.trim().startsWith('#')) continue;
    const line = i + 1;
    const m = ASSIGNMENT.exec(lineText);
    if (!m) {
      diagnostics.push({
        severity: 'error',
        code: 'env/syntax',
        message: 'this line is not a KEY=VALUE assignment',
        hint: 'write KEY=VALUE (optionally `export KEY=VALUE`), quote values with spaces, start comments with #',
        location: { file, line },
      });
      continue;
    }
    const key = m[1]!;
    const rest = m[2]!;
    let value: string;
    if (rest.startsWith('"') || rest.startsWith("'") || rest.startsWith('`')) {
      const quoted = readQuoted(lines, i, rest);
      if (!quoted) {
        diagnostics.push({
          severity: 'error',
          code: 'env/syntax',
          message: `the quoted value of ${key} is not closed, or has text after the closing quote`,
          hint: 'close the quote; put comments after the closing quote behind a #',
          location: { file, line },
        });
        continue;
      }
      value = quoted.value;
      i = quoted.end;
    } else {
      // As in dotenv and Node, a # ends an unquoted value: what the app reads is what we check.
      value = rest.replace(/#.*$/, '').trim();
    }
    const previous = entries.get(key);
    if (previous)
      diagnostics.push({
        severity: 'warning',
        code: 'env/duplicate-key',
        message: `${key} is assigned again here (first on line ${previous.line}); the last assignment wins`,
        hint: 'keep one assignment per variable',
        location: { file, line },
      });
    entries.delete(key);
    entries.set(key, { key, value, line });
  }
  return { entries: [...entries.values()], diagnostics };
}
