/**
 * Reads the level and the time out of a log line: JSON logs (pino, bunyan, winston, logfmt-ish structured
 * fields) and the common text shapes (`[ERROR]`, `ERROR:`, `level=error`, syslog-style Heroku lines).
 */
import type { LogLevel } from './types.js';

const WORDS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  dbg: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  critical: 'fatal',
  crit: 'fatal',
  fatal: 'fatal',
  panic: 'fatal',
  emerg: 'fatal',
  alert: 'fatal',
};

/** pino and bunyan write numbers: 10 trace ... 60 fatal. */
function fromNumber(n: number): LogLevel | undefined {
  if (!Number.isFinite(n) || n < 10) return undefined;
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.min(Math.floor(n / 10) - 1, 5)];
}

export function toLevel(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value !== 'string') return undefined;
  return WORDS[value.trim().toLowerCase()];
}

function toTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds (Python's time.time()) or milliseconds (Date.now()).
    const ms = value < 1e11 ? value * 1000 : value;
    // A number past what a Date holds (±8.64e15 ms) is no time: toISOString would throw on it.
    return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
  }
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

export interface ParsedLine {
  level?: LogLevel;
  at?: string;
  message: string;
}

const LEADING_TIME = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+/;
/** Heroku's `app[web.1]: ` after the time. */
const SYSLOG_SOURCE = /^[a-z]+\[[\w.-]+\]:\s*/i;
/** `[error]`, `ERROR ...`, `Error: ...`, `level=error` at the start of the message. */
const TEXT_LEVEL =
  /^(?:\[\s*([A-Za-z]+)\s*\]|([A-Z]{3,8})(?=[:\s\]|-])|([A-Za-z]{3,11})(?=:)|level=["']?([A-Za-z]+))/;
const LOGFMT_LEVEL = /\b(?:level|lvl|severity)=["']?([A-Za-z]+)/;

function parseJson(text: string): ParsedLine | undefined {
  if (!text.startsWith('{')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const o = data as Record<string, unknown>;
  const nested = (o.log as Record<string, unknown> | undefined)?.level;
  const level = toLevel(o.level ?? o.severity ?? o.lvl ?? o.levelname ?? nested);
  const at = toTime(o.time ?? o.timestamp ?? o['@timestamp'] ?? o.ts);
  const msg = o.msg ?? o.message ?? o.event;
  return {
    ...(level ? { level } : {}),
    ...(at ? { at } : {}),
    message: typeof msg === 'string' ? msg : text,
  };
}

export function parseLogLine(raw: string): ParsedLine {
  let text = raw.trim();
  let at: string | undefined;
  const time = LEADING_TIME.exec(text);
  if (time) {
    at = toTime(time[1]);
    text = text.slice(time[0].length);
  }
  text = text.replace(SYSLOG_SOURCE, '');
  const json = parseJson(text);
  if (json) return { ...json, ...(json.at ? {} : at ? { at } : {}) };
  const word = TEXT_LEVEL.exec(text);
  const level =
    toLevel(word?.[1] ?? word?.[2] ?? word?.[3] ?? word?.[4]) ?? toLevel(LOGFMT_LEVEL.exec(text)?.[1]);
  return { ...(level ? { level } : {}), ...(at ? { at } : {}), message: text };
}
