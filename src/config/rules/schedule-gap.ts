// The modules themselves, not the oncall barrel: that loads the iCal parser, which validating never needs.
import { findGaps } from '../../oncall/gaps.js';
import type { ScheduleSpec } from '../../oncall/types.js';
import { isTimeZone, parseDate } from '../../oncall/zone.js';
import { arr, entries, obj, type Raw } from '../raw.js';
import { defineRule } from './rule.js';

/** Nobody on call is an incident nobody hears about: flag coverage gaps in the next 8 weeks. */
export const scheduleGap = defineRule({
  code: 'config/schedule-gap',
  check({ config, report }) {
    for (const [id, s] of entries(obj(config.incidents).schedules)) {
      // An iCal source is only read at run time; an unreadable schedule is another rule's diagnostic.
      const spec = toSpec(id, s);
      if (!spec || s.ical !== undefined) continue;
      const gaps = findGaps(spec, Date.now());
      if (!gaps.length) continue;
      const hours = Math.round(gaps.reduce((sum, g) => sum + g.end - g.start, 0) / 3_600_000);
      report({
        severity: 'warning',
        message: `schedule '${id}' leaves nobody on call for ${hours}h in the next 8 weeks, first from ${new Date(gaps[0]!.start).toISOString()}`,
        hint: 'add a layer or an override that covers the gaps, or start the rotation earlier',
        path: ['incidents', 'schedules', id],
        key: true,
      });
    }
  },
});

function toSpec(id: string, s: Raw): ScheduleSpec | undefined {
  if (typeof s.timeZone !== 'string' || !isTimeZone(s.timeZone)) return undefined;
  const layers: Raw[] = arr(s.layers).map((l) => ({ handoff: '09:00', ...obj(l) }));
  const valid = layers.every(
    (l) =>
      typeof l.start === 'string' &&
      parseDate(l.start) &&
      /^([01]\d|2[0-3]):[0-5]\d$/.test(String(l.handoff)) &&
      Array.isArray(l.participants) &&
      (l.rotation === 'daily' || l.rotation === 'weekly'),
  );
  const overrides = arr(s.overrides).map((o) => ({
    contact: String(obj(o).contact),
    start: Date.parse(String(obj(o).start)),
    end: Date.parse(String(obj(o).end)),
  }));
  if (!valid || overrides.some((o) => Number.isNaN(o.start) || Number.isNaN(o.end))) return undefined;
  return {
    id,
    timeZone: s.timeZone,
    layers: layers as unknown as ScheduleSpec['layers'],
    overrides,
    events: [],
  };
}
