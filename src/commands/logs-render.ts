/** How `opsbook logs` prints: one line per entry (time, service, level, message), notes as warnings. */
import type { LogsFollowOptions } from '../app/logs.js';
import type { LogEntry, LogLevel, LogsNote, LogsReport } from '../logs/index.js';
import type { Output } from '../output/index.js';

const LEVEL_STYLE: Partial<Record<LogLevel, 'red' | 'yellow' | 'dim'>> = {
  fatal: 'red',
  error: 'red',
  warn: 'yellow',
  debug: 'dim',
  trace: 'dim',
};

function printEntry(entry: LogEntry, width: number, out: Output): void {
  const time = entry.at.slice(11, 23);
  const level = entry.level
    ? `${out.style(LEVEL_STYLE[entry.level] ?? 'green', entry.level.toUpperCase().padEnd(5))} `
    : '';
  out.line(
    `${out.style('dim', time)} ${out.style('cyan', entry.service.padEnd(width))} | ${level}${entry.message}`,
  );
}

function printNote(note: LogsNote, out: Output): void {
  out.warn(`${note.service}: ${note.message}`);
}

/** Followed lines are printed as they come (one JSON line each with --json): there is no end to wait for. */
export function followPrinter(out: Output, width: number): Pick<LogsFollowOptions, 'onEntries' | 'onNote'> {
  return {
    onEntries: (entries) => {
      for (const entry of entries) {
        if (out.mode === 'json') out.jsonLine(entry);
        else printEntry(entry, width, out);
      }
    },
    onNote: (note) => {
      if (out.mode !== 'json') printNote(note, out);
    },
  };
}

/** The filters as the command line gave them, to say what no line matched. */
export type LogFilterFlags = Partial<Record<'since' | 'grep' | 'level', string>>;

export function printLogs(
  report: LogsReport,
  width: number,
  out: Output,
  filters: LogFilterFlags = {},
): void {
  for (const entry of report.entries) printEntry(entry, width, out);
  for (const note of report.notes) printNote(note, out);
  // A service whose read failed is explained by its note: "gave none" would blame the platform.
  if (report.entries.length || (!report.read && report.notes.length)) return;
  const from = report.services.join(', ') || 'any service';
  const given = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `--${k} ${v}`);
  out.warn(
    report.read
      ? `${report.read} line${report.read === 1 ? '' : 's'} read from ${from}, none matched ${given.join(' ')}`
      : `no log lines from ${from}: the platform gave none (nothing logged yet, or the logs are kept elsewhere)`,
  );
}
