/** Who is on call at an instant: overrides, then the last covering rotation layer, then imported events. */
import { type OnCall, type RotationLayer, type ScheduleSpec, type Span, WEEKDAY_NAMES } from './types.js';
import { addDays, daysBetween, parseClock, parseDate, wallTime, zonedInstant } from './zone.js';

interface LayerShift {
  contact: string;
  start: number;
  end: number;
}

/** The layer's shift covering `ms`, if the layer covers it. */
export function layerShiftAt(layer: RotationLayer, timeZone: string, ms: number): LayerShift | undefined {
  const start = parseDate(layer.start);
  const handoff = parseClock(layer.handoff);
  if (!start || !handoff || !layer.participants.length) return undefined;
  const w = wallTime(ms, timeZone);
  let day = { year: w.year, month: w.month, day: w.day };
  // Before today's handoff the shift that began yesterday still runs.
  const todayHandoff = zonedInstant(day, handoff.hour, handoff.minute, timeZone);
  if (ms < todayHandoff) day = addDays(day, -1);
  const index = daysBetween(start, day);
  if (index < 0) return undefined;
  const dayStart = zonedInstant(day, handoff.hour, handoff.minute, timeZone);
  const dayEnd = zonedInstant(addDays(day, 1), handoff.hour, handoff.minute, timeZone);
  if (layer.days?.length) {
    const weekday = WEEKDAY_NAMES[new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()]!;
    if (!layer.days.includes(weekday)) return undefined;
  }
  const length = layer.rotation === 'weekly' ? 7 : 1;
  const shift = Math.floor(index / length);
  const contact = layer.participants[shift % layer.participants.length]!;
  const shiftStart = zonedInstant(addDays(start, shift * length), handoff.hour, handoff.minute, timeZone);
  const shiftEnd = zonedInstant(addDays(start, (shift + 1) * length), handoff.hour, handoff.minute, timeZone);
  // With day restrictions the stretch is one covered day; otherwise the whole shift.
  return layer.days?.length
    ? { contact, start: dayStart, end: dayEnd }
    : { contact, start: shiftStart, end: shiftEnd };
}

function spanAt(spans: readonly Span[], ms: number): Span | undefined {
  // The latest-starting span wins where two overlap: it is the more specific one.
  let best: Span | undefined;
  for (const s of spans) if (s.start <= ms && ms < s.end && (!best || s.start > best.start)) best = s;
  return best;
}

/** Who is on call at `ms`; undefined is a gap in coverage. */
export function onCallAt(spec: ScheduleSpec, ms: number): OnCall | undefined {
  const override = spanAt(spec.overrides, ms);
  if (override)
    return {
      schedule: spec.id,
      contact: override.contact,
      since: override.start,
      until: override.end,
      source: 'override',
    };
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const shift = layerShiftAt(spec.layers[i]!, spec.timeZone, ms);
    if (shift)
      return {
        schedule: spec.id,
        contact: shift.contact,
        since: shift.start,
        until: clipToOverrides(spec, ms, shift.end),
        source: `layer ${i + 1}`,
      };
  }
  const event = spanAt(spec.events, ms);
  if (event)
    return {
      schedule: spec.id,
      contact: event.contact,
      since: event.start,
      until: event.end,
      source: 'calendar',
    };
  return undefined;
}

function clipToOverrides(spec: ScheduleSpec, ms: number, end: number): number {
  let until = end;
  for (const o of spec.overrides) if (o.start > ms && o.start < until) until = o.start;
  return until;
}

/** The final schedule from `from` to `to`: consecutive stretches, gaps included as contact null. */
export function expandSchedule(
  spec: ScheduleSpec,
  from: number,
  to: number,
): { contact: string | null; start: number; end: number; source?: string }[] {
  const out: { contact: string | null; start: number; end: number; source?: string }[] = [];
  let t = from;
  while (t < to && out.length < 10_000) {
    const on = onCallAt(spec, t);
    const next = Math.min(to, on ? Math.max(on.until, t + 60_000) : nextBoundary(spec, t, to));
    const last = out.at(-1);
    if (last && last.contact === (on?.contact ?? null) && last.end === t) last.end = next;
    else
      out.push({ contact: on?.contact ?? null, start: t, end: next, ...(on ? { source: on.source } : {}) });
    t = next;
  }
  return out;
}

/** In a gap: the next instant anything could start covering (a handoff, an override, an event). */
function nextBoundary(spec: ScheduleSpec, t: number, to: number): number {
  let next = to;
  for (const s of [...spec.overrides, ...spec.events]) if (s.start > t && s.start < next) next = s.start;
  for (const layer of spec.layers) {
    const handoff = parseClock(layer.handoff);
    if (!handoff) continue;
    const w = wallTime(t, spec.timeZone);
    for (let d = 0; d <= 8; d++) {
      const at = zonedInstant(addDays(w, d), handoff.hour, handoff.minute, spec.timeZone);
      if (at > t) {
        if (at < next) next = at;
        break;
      }
    }
  }
  return next;
}
