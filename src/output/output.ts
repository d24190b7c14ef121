import { styleText } from 'node:util';
import type { Diagnostic } from '../diagnostics/index.js';
import { countBySeverity, formatLocation, sortDiagnostics } from '../diagnostics/index.js';
import { createRedactor, type Redactor } from '../redact/index.js';
import { printable } from './printable.js';

export type OutputMode = 'pretty' | 'plain' | 'json';
type Style = Exclude<Parameters<typeof styleText>[0], readonly unknown[]>;

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface OutputOptions {
  mode?: OutputMode;
  stdout?: Writable;
  stderr?: Writable;
  env?: NodeJS.ProcessEnv;
  redactor?: Redactor;
}

export interface Progress {
  update(text: string): void;
  done(text?: string, ok?: boolean): void;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

/** All terminal output goes through here: mode, colour, progress and the redactor live in one place. */
export interface Output {
  readonly mode: OutputMode;
  readonly redactor: Redactor;
  /** A line on stdout (the command's result). Ignored in json mode: json prints one envelope. */
  line(text?: string): void;
  /** A line on stderr (notes, warnings, progress). */
  note(text: string): void;
  heading(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string, hint?: string): void;
  style(style: Style | Style[], text: string): string;
  table<T>(rows: readonly T[], columns: readonly Column<T>[]): void;
  diagnostics(list: readonly Diagnostic[]): void;
  progress(label: string): Progress;
  /** Prints the one JSON envelope (json mode only). */
  json(value: unknown): void;
  /** One compact JSON value on one line of stdout, for streams (`logs --follow --json`); json mode only. */
  jsonLine(value: unknown): void;
}

export function detectMode(
  flags: { json?: boolean; plain?: boolean },
  stdout: Writable,
  env: NodeJS.ProcessEnv,
): OutputMode {
  if (flags.json) return 'json';
  if (flags.plain || !stdout.isTTY || env.CI) return 'plain';
  return 'pretty';
}

export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const mode = options.mode ?? detectMode({}, stdout, env);
  const redactor = options.redactor ?? createRedactor();
  const color = mode === 'pretty' && !env.NO_COLOR && env.TERM !== 'dumb';

  const style = (s: Style | Style[], text: string) =>
    color ? styleText(s, text, { validateStream: false }) : text;
  // Outside text in any line (a file name, a command's output) is shown with its control characters as \xNN.
  const shown = (text: string) =>
    printable(redactor.redact(text), { newlines: true, tabs: true, colour: color });
  const out = (text: string) => {
    if (mode !== 'json') stdout.write(`${shown(text)}\n`);
  };
  const err = (text: string) => {
    stderr.write(`${shown(text)}\n`);
  };
  const severityStyle: Record<Diagnostic['severity'], Style> = {
    error: 'red',
    warning: 'yellow',
    info: 'cyan',
  };

  return {
    mode,
    redactor,
    line: (text = '') => out(text),
    note: (text) => {
      if (mode !== 'json') err(style('dim', text));
    },
    heading: (text) => out(style('bold', text)),
    success: (text) => out(`${style('green', mode === 'plain' ? 'ok' : '✓')} ${text}`),
    warn: (text) => err(`${style('yellow', 'warning:')} ${text}`),
    error: (text, hint) => {
      err(`${style('red', 'error:')} ${text}`);
      if (hint) err(`  ${style('dim', 'hint:')} ${hint}`);
    },
    style,
    table(rows, columns) {
      const cells = rows.map((r) => columns.map((c) => c.value(r)));
      const widths = columns.map((c, i) =>
        Math.max(c.header.length, ...cells.map((row) => (row[i] ?? '').length)),
      );
      const fmt = (row: string[]) =>
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd();
      out(style('bold', fmt(columns.map((c) => c.header))));
      for (const row of cells) out(fmt(row));
    },
    diagnostics(list) {
      for (const d of sortDiagnostics(list)) {
        const where = formatLocation(d.location);
        err(
          `${where ? `${where}: ` : ''}${style(severityStyle[d.severity], d.severity)} ${d.message} ${style('dim', `[${d.code}]`)}`,
        );
        if (d.hint) err(`  ${style('dim', 'fix:')} ${d.hint}`);
      }
      const c = countBySeverity(list);
      if (list.length) err(style('dim', `${c.error} error(s), ${c.warning} warning(s)`));
    },
    progress(label) {
      const live = mode === 'pretty' && Boolean(stderr.isTTY);
      if (mode === 'plain') err(`… ${label}`);
      let last = label;
      return {
        update(text) {
          last = text;
          if (live) stderr.write(`\r\x1b[2K${style('cyan', '…')} ${shown(text)}`);
        },
        done(text = last, ok = true) {
          if (mode === 'json') return;
          if (live) stderr.write('\r\x1b[2K');
          err(
            `${ok ? style('green', mode === 'plain' ? 'ok' : '✓') : style('red', mode === 'plain' ? 'failed' : '✗')} ${text}`,
          );
        },
      };
    },
    json(value) {
      // Two writes, not one concatenated string: a 10,000-file lint report is 20 MB, and that would be a copy.
      stdout.write(JSON.stringify(redactor.redactData(value), null, 2));
      stdout.write('\n');
    },
    jsonLine(value) {
      if (mode === 'json') stdout.write(`${JSON.stringify(redactor.redactData(value))}\n`);
    },
  };
}
