/** The on-call use-cases: who is on call at a time, and the coming shifts of each schedule, from the config and its iCal sources. */
import type { StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { expandSchedule, loadCalendars, onCallAt, scheduleSpec } from '../oncall/index.js';
import { printable } from '../probes/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

const DAY_MS = 86_400_000;

export interface OncallOptions extends ConfigOptions {
  /** The instant asked about, or the start of the listed shifts (epoch ms); default: now. */
  at?: number;
  /** Days ahead the shifts are listed and the calendars read; default 14. */
  days?: number;
  /** Called with each iCal source that could not be read (its schedule then has no imported events). */
  onWarning?: (message: string) => void;
  fetch?: typeof fetch;
}

export interface OnCallRow {
  schedule: string;
  /** Null: nobody is on call in this schedule. */
  contact: string | null;
  /**
   * Whether the contact is one of incidents.contacts. An iCal event's title names anyone: one naming no contact is
   * on call there, but no escalation can page them.
   */
  declared: boolean;
  name: string;
  since: string | null;
  until: string | null;
  source: string | null;
}

export interface OnCallNow {
  at: string;
  oncall: OnCallRow[];
}

export interface ScheduleShifts {
  schedule: string;
  timeZone: string;
  /** A null contact is a gap: nobody on call. */
  shifts: { contact: string | null; name: string; start: string; end: string }[];
}

const iso = (ms: number) => new Date(ms).toISOString();

async function load(options: OncallOptions) {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const schedules = config.incidents?.schedules ?? {};
  if (!Object.keys(schedules).length)
    throw new UserError('no on-call schedules in the config', 'declare them under incidents.schedules');
  const at = options.at ?? Date.now();
  const days = options.days ?? 14;
  const calendars = await loadCalendars(config, {
    cwd: base.cwd,
    fetch: options.fetch ?? fetch,
    from: at - 7 * DAY_MS,
    to: at + (days + 7) * DAY_MS,
  });
  // The parser quotes the line it choked on: calendar text, maybe from a URL, never raw to a terminal.
  for (const e of calendars.errors) options.onWarning?.(printable(e.message));
  const spec = (id: string) => scheduleSpec(id, schedules[id]!, calendars.events[id] ?? []);
  return { config, schedules, at, days, spec, name: contactName(config) };
}

const contactName = (config: StackConfig) => (c: string | null) =>
  c ? (config.incidents?.contacts[c]?.name ?? c) : 'NOBODY';

/** Who is on call in each schedule at `at`. */
export async function oncallAt(options: OncallOptions): Promise<OnCallNow> {
  const { config, schedules, at, spec, name } = await load(options);
  const oncall = Object.keys(schedules).map((id) => {
    const on = onCallAt(spec(id), at);
    return {
      schedule: id,
      contact: on?.contact ?? null,
      declared: Boolean(on && config.incidents?.contacts[on.contact]),
      name: name(on?.contact ?? null),
      since: on ? iso(on.since) : null,
      until: on ? iso(on.until) : null,
      source: on?.source ?? null,
    };
  });
  return { at: iso(at), oncall };
}

/** The shifts of one schedule (or every one) from `at` for `days`. */
export async function oncallSchedule(
  options: OncallOptions & { schedule?: string },
): Promise<ScheduleShifts[]> {
  const { schedules, at, days, spec, name } = await load(options);
  const ids = options.schedule ? [options.schedule] : Object.keys(schedules);
  for (const id of ids)
    if (!schedules[id])
      throw new UserError(`unknown schedule '${id}'`, `schedules: ${Object.keys(schedules).join(', ')}`);
  return ids.map((id) => ({
    schedule: id,
    timeZone: schedules[id]!.timeZone,
    shifts: expandSchedule(spec(id), at, at + days * DAY_MS).map((s) => ({
      contact: s.contact,
      name: name(s.contact),
      start: iso(s.start),
      end: iso(s.end),
    })),
  }));
}
