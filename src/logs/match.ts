/** Matching log lines: the patterns of log signals and `--grep`, and the filters of `opsbook logs`. */
import { LEVELS, type LogEntry, type LogLevel } from './types.js';

/** A pattern as config and flags write it: text to find, `/regex/flags`, or `{ pattern, regex }`. */
export type LogPattern = string | { pattern: string; regex?: boolean };

export function compilePattern(p: LogPattern): (line: string) => boolean {
  const text = typeof p === 'string' ? p : p.pattern;
  const isRegex = typeof p === 'string' ? /^\/.+\/[a-z]*$/.test(p) : Boolean(p.regex);
  if (isRegex) {
    const m = /^\/(.+)\/([a-z]*)$/.exec(text);
    const re = m ? new RegExp(m[1]!, m[2]) : new RegExp(text);
    return (line) => re.test(line);
  }
  return (line) => line.includes(text);
}

export interface LogFilterOptions {
  /** Only lines at or after this time (ms since the epoch). */
  sinceMs?: number;
  grep?: LogPattern;
  /** This level and the ones above it; lines without a level are left out. */
  level?: LogLevel;
}

export function createLogFilter(options: LogFilterOptions): (entry: LogEntry) => boolean {
  const grep = options.grep === undefined ? undefined : compilePattern(options.grep);
  const floor = options.level ? LEVELS.indexOf(options.level) : -1;
  return (entry) => {
    if (options.sinceMs !== undefined && Date.parse(entry.at) < options.sinceMs) return false;
    if (floor >= 0 && (!entry.level || LEVELS.indexOf(entry.level) < floor)) return false;
    if (grep && !grep(entry.text)) return false;
    return true;
  };
}
