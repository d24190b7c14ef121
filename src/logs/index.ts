/** Logs: reading services' lines from their platforms, parsing level and time, filtering, interleaving, redacting. */
export { compilePattern, createLogFilter, type LogFilterOptions, type LogPattern } from './match.js';
export { parseLogLine, toLevel } from './parse.js';
export {
  followLogs,
  interleave,
  type LogsNote,
  type LogsOptions,
  type LogsReport,
  readLogs,
} from './read-logs.js';
export { redactLogLine } from './redact-line.js';
export { type LogSource, providerLogSource, toEntry } from './sources.js';
export { LEVELS, type LogEntry, type LogLevel } from './types.js';
