/** The iCal sources of every schedule that has one, read and expanded over a window; a failed source is reported, not fatal. */
import { parseCalendar, readCalendar } from './ical.js';
import type { ScheduleConfig, Span } from './types.js';

export interface LoadedCalendars {
  events: Record<string, Span[]>;
  errors: { schedule: string; message: string }[];
}

export async function loadCalendars(
  /** The stack config (only its schedules are read). */
  config: { incidents?: { schedules: Record<string, Pick<ScheduleConfig, 'ical'>> } | undefined },
  o: { cwd: string; fetch: typeof fetch; from: number; to: number },
): Promise<LoadedCalendars> {
  const out: LoadedCalendars = { events: {}, errors: [] };
  for (const [id, s] of Object.entries(config.incidents?.schedules ?? {})) {
    if (!s.ical) continue;
    try {
      out.events[id] = parseCalendar(await readCalendar(s.ical, o), o.from, o.to);
    } catch (error) {
      out.errors.push({
        schedule: id,
        message: `iCal source of schedule '${id}': ${(error as Error).message}`,
      });
    }
  }
  return out;
}
