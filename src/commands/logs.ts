import { parseDuration } from '../config/index.js';
import { UserError } from '../errors.js';
import {
  followLogs,
  LEVELS,
  type LogEntry,
  type LogLevel,
  type LogsNote,
  type LogsOptions,
  readLogs,
  toLevel,
} from '../logs/index.js';
import type { Output } from '../output/index.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler, CommandInput } from './types.js';

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

function readFilters(
  input: CommandInput,
  now: number,
): Pick<LogsOptions, 'sinceMs' | 'grep' | 'level' | 'lines'> {
  const since = flagString(input, 'since');
  const levelText = flagString(input, 'level');
  const level = levelText === undefined ? undefined : toLevel(levelText);
  if (levelText !== undefined && !level) {
    throw new UserError(`--level ${levelText} is not a log level`, `use one of ${LEVELS.join(', ')}`);
  }
  const linesText = flagString(input, 'lines');
  const lines = linesText === undefined ? undefined : Number(linesText);
  if (lines !== undefined && (!Number.isInteger(lines) || lines < 1)) {
    throw new UserError(`--lines ${linesText} is not a positive whole number`, 'e.g. --lines 200');
  }
  let sinceMs: number | undefined;
  if (since !== undefined) {
    try {
      sinceMs = now - parseDuration(since);
    } catch {
      throw new UserError(`--since ${since} is not a duration`, 'e.g. --since 15m, --since 2h, --since 30s');
    }
  }
  const grep = flagString(input, 'grep');
  return {
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(grep ? { grep } : {}),
    ...(level ? { level } : {}),
    ...(lines ? { lines } : {}),
  };
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const options: LogsOptions = {
    cwd: input.cwd,
    config: loaded.config,
    environment: flagString(input, 'env') ?? 'production',
    services: input.positionals,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    ...readFilters(input, Date.now()),
  };
  const { out } = input;
  const width = Math.max(
    ...(input.positionals.length ? input.positionals : Object.keys(loaded.config.services)).map(
      (s) => s.length,
    ),
  );

  if (flagBool(input, 'follow')) {
    const notes: LogsNote[] = [];
    let count = 0;
    const followed = await followLogs(
      options,
      (entries) => {
        count += entries.length;
        for (const entry of entries) {
          if (out.mode === 'json') out.jsonLine(entry);
          else printEntry(entry, width, out);
        }
      },
      (note) => {
        notes.push(note);
        if (out.mode !== 'json') printNote(note, out);
      },
    );
    return { ok: notes.length === 0, data: { ...followed, lines: count, notes }, print: () => undefined };
  }

  const report = await readLogs(options);
  return {
    ok: report.notes.length === 0,
    data: report,
    print: (o) => {
      for (const entry of report.entries) printEntry(entry, width, o);
      for (const note of report.notes) printNote(note, o);
      if (!report.entries.length)
        o.note(`no log lines from ${report.services.join(', ') || 'any service'} matched`);
    },
  };
};
