/** Schedules from the config (plus events imported from iCal) in the shape the on-call code works with. */
import type { ScheduleConfig, ScheduleSpec, Span } from './types.js';

export function scheduleSpec(id: string, s: ScheduleConfig, events: Span[] = []): ScheduleSpec {
  return {
    id,
    timeZone: s.timeZone,
    layers: s.layers.map((l) => ({
      rotation: l.rotation,
      handoff: l.handoff,
      start: l.start,
      participants: l.participants,
      ...(l.days ? { days: l.days } : {}),
    })),
    overrides: s.overrides.map((o) => ({
      contact: o.contact,
      start: Date.parse(o.start),
      end: Date.parse(o.end),
    })),
    events,
  };
}
