/** The logs use-cases: the recent lines of several services, or new ones as they come, interleaved by time. */
import {
  followLogs,
  type LogEntry,
  type LogFilterOptions,
  type LogsNote,
  type LogsReport,
  readLogs,
} from '../logs/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

export interface LogsUseCaseOptions extends ConfigOptions, LogFilterOptions {
  /** Default: production. */
  environment?: string;
  /** Service names; none means every service opsbook deploys. */
  services?: string[];
  /** How many recent lines (default 100). */
  lines?: number;
}

async function logsOptions(options: LogsUseCaseOptions) {
  const base = resolveOptions(options);
  const { sinceMs, grep, level, lines } = options;
  return {
    ...base,
    config: await configOf(options, base),
    environment: options.environment ?? 'production',
    services: options.services ?? [],
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(grep ? { grep } : {}),
    ...(level ? { level } : {}),
    ...(lines ? { lines } : {}),
  };
}

/** The recent lines; a service whose lines could not be read is a note. */
export async function logs(options: LogsUseCaseOptions): Promise<LogsReport> {
  return readLogs(await logsOptions(options));
}

export interface LogsFollowOptions extends LogsUseCaseOptions {
  /** Each batch of new lines, as it comes. */
  onEntries?: (entries: LogEntry[]) => void;
  onNote?: (note: LogsNote) => void;
}

export interface LogsFollowResult {
  services: string[];
  /** How many lines were passed on. */
  lines: number;
  notes: LogsNote[];
}

/** The recent lines, then new ones until the signal aborts. */
export async function logsFollow(options: LogsFollowOptions): Promise<LogsFollowResult> {
  const notes: LogsNote[] = [];
  let count = 0;
  const followed = await followLogs(
    await logsOptions(options),
    (entries) => {
      count += entries.length;
      options.onEntries?.(entries);
    },
    (note) => {
      notes.push(note);
      options.onNote?.(note);
    },
  );
  return { ...followed, lines: count, notes };
}
