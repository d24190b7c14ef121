/** The iCal sources of every schedule that has one, read and expanded over a window; a failed source is reported, not fatal. */
// The schema module, not config/index: the config rules (loaded from index) use on-call's gap finder.
import type { StackConfig } from '../config/schema.js';
import { parseCalendar, readCalendar } from './ical.js';
import type { Span } from './types.js';

export interface LoadedCalendars {
  events: Record<string, Span[]>;
  errors: { schedule: string; message: string }[];
}

export async function loadCalendars(
  config: StackConfig,
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
