/**
 * Schedules: a named cadence (daily, weekly, ...) or a cron expression, in a time zone. The one module that
 * wraps croner, so DST and time-zone handling are the library's, not ours.
 */
import { Cron } from 'croner';

const NAMED: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
  quarterly: '0 0 1 */3 *',
  yearly: '0 0 1 1 *',
};

export interface Schedule {
  /** As written: `weekly` or `30 2 * * *`. */
  text: string;
  timezone: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

/** Throws with croner's reason when the expression or time zone is not valid. */
export function parseSchedule(text: string, timezone = 'UTC'): Schedule {
  // UTC as a fixed offset: the same dates, without croner's time-zone path, which formats every candidate date with
  // Intl (a `status` of three weekly tasks spent ~60 ms there, most of it loading ICU's zone data).
  // Croner reads six fields as seconds first: `0 3 * * * *` meant for 03:00 runs hourly, `* * * * * *` every second
  // (a backup each tick of serve). Chores and backups are minute-level: cron's five fields.
  if (!NAMED[text] && text.trim().split(/\s+/).length === 6)
    throw new Error(
      "it has 6 fields, and a first one of seconds is not supported: give cron's 5 (minute hour day-of-month month day-of-week)",
    );
  const zone = timezone === 'UTC' ? { utcOffset: 0 } : { timezone };
  const cron = new Cron(NAMED[text] ?? text, { paused: true, ...zone });
  // Validate the time zone now: croner only consults it when computing a date. A pattern no date matches (30 February)
  // parses but never fires: refused here, so validate reports it instead of every later use crashing.
  if (!firstRun(cron))
    throw new Error(`no date ever matches it (such as 30 February or 31 April), so it would never run`);
  return {
    text,
    timezone,
    next(after) {
      const d = cron.nextRun(after);
      if (!d) throw new Error(`schedule '${text}' has no occurrence after ${after.toISOString()}`);
      return d;
    },
  };
}

/** Croner's first date from the epoch; null when none. Its search recurses month by month, and for some patterns
 * without a date (31 February, April and June) it overflows the stack instead of answering null. */
function firstRun(cron: Cron): Date | null {
  try {
    return cron.nextRun(new Date(0));
  } catch (error) {
    // Only the overflow: an unknown time zone is a RangeError too, and has its own message.
    if (error instanceof RangeError && /call stack/i.test(error.message)) return null;
    throw error;
  }
}

/** The last occurrence at or before `at`, searching back up to `horizonMs` (default 400 days). */
export function previousOccurrence(
  schedule: Schedule,
  at: Date,
  horizonMs = 400 * 86400e3,
): Date | undefined {
  // Widen the look-back window until an occurrence falls in it, then walk forward: few steps at any cadence.
  for (let window = 3600e3; ; window = Math.min(window * 2, horizonMs)) {
    let cursor = schedule.next(new Date(at.getTime() - window));
    if (cursor <= at) {
      for (let n = schedule.next(cursor); n <= at; n = schedule.next(cursor)) cursor = n;
      return cursor;
    }
    if (window >= horizonMs) return undefined;
  }
}

/** Human check for config validation: undefined when fine, else the reason. */
export function scheduleProblem(text: string, timezone = 'UTC'): string | undefined {
  try {
    parseSchedule(text, timezone);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
}
