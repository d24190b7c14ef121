/** On-call schedules as code: rotations with local handoffs across DST, overrides, layers, iCal import, coverage gaps. */

export { type LoadedCalendars, loadCalendars } from './calendars.js';
export { scheduleSpec } from './from-config.js';
export { findGaps, GAP_HORIZON_MS } from './gaps.js';
export { parseCalendar, readCalendar } from './ical.js';
export { expandSchedule, onCallAt } from './schedule.js';
export type { OnCall, RotationLayer, ScheduleSpec, Span, Weekday } from './types.js';
export { isTimeZone, parseDate } from './zone.js';
