/** Coverage over a horizon: the stretches nobody is on call, which `validate` flags. */
import { expandSchedule } from './schedule.js';
import type { ScheduleSpec } from './types.js';

export const GAP_HORIZON_MS = 8 * 7 * 86_400_000;

export function findGaps(spec: ScheduleSpec, from: number, horizonMs = GAP_HORIZON_MS) {
  return expandSchedule(spec, from, from + horizonMs)
    .filter((s) => s.contact === null)
    .map((s) => ({ start: s.start, end: s.end }));
}
