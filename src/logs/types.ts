/** One log line of one service, with the level and time read out of it where the line says. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface LogEntry {
  service: string;
  /** ISO time: the line's own timestamp when it has one, else when the platform recorded it. */
  at: string;
  level?: LogLevel;
  /** The line as written (redacted). */
  text: string;
  /** The message without the timestamp/level decoration, for display. */
  message: string;
  source: 'build' | 'deploy' | 'runtime';
}
