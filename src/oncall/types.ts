/** A schedule as the on-call code works with it: zone, rotation layers, overrides and imported events. */

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
export const WEEKDAY_NAMES: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface RotationLayer {
  rotation: 'daily' | 'weekly';
  /** Local wall-clock time of the handoff, `HH:MM`. */
  handoff: string;
  /** Local date the first participant's first shift starts, `YYYY-MM-DD`. */
  start: string;
  participants: string[];
  /** Only shifts starting on these local days are covered (default: every day). */
  days?: Weekday[];
}

/** A fixed span (overrides, imported calendar events). Instants in epoch ms. */
export interface Span {
  contact: string;
  start: number;
  end: number;
}

/**
 * A schedule as the config declares it (incidents.schedules.ID): overrides as ISO 8601 times, an optional iCal
 * source. Declared here, not taken from the config's schema, so on-call does not import the config that checks
 * schedules with it; the config's parsed type fits it as it is.
 */
export interface ScheduleConfig {
  timeZone: string;
  layers: RotationLayer[];
  overrides: { contact: string; start: string; end: string }[];
  ical?: string | undefined;
}

export interface ScheduleSpec {
  id: string;
  timeZone: string;
  /** Later layers win where they cover. */
  layers: RotationLayer[];
  /** Win over every layer. */
  overrides: Span[];
  /** Imported from iCal: a layer below the rotations. */
  events: Span[];
}

export interface OnCall {
  schedule: string;
  contact: string;
  /** When this person's current stretch began and ends (as far as the layers and overrides tell). */
  since: number;
  until: number;
  source: 'override' | 'calendar' | `layer ${number}`;
}
