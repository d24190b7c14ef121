import { parseSchedule } from '../../schedule/index.js';
import { arr, durationMs, obj } from '../raw.js';
import { defineRule } from './rule.js';

/**
 * The shortest time between two starts of a recurring window, over the occurrences of a year (at most 60: a
 * window every few minutes shows its gap at once); undefined when the schedule is unreadable (reported elsewhere).
 * Read in UTC: a time zone moves the starts by its offset, not the time between them (bar an hour at a daylight
 * saving change), and croner's time-zone path costs ~100 ms a window, on every config load.
 */
function shortestGap(every: string): number | undefined {
  try {
    const schedule = parseSchedule(every);
    const end = Date.UTC(2027, 0, 1);
    let at = schedule.next(new Date(Date.UTC(2026, 0, 1)));
    let gap = Number.POSITIVE_INFINITY;
    for (let n = 0; n < 60 && at.getTime() < end; n++) {
      const next = schedule.next(at);
      gap = Math.min(gap, next.getTime() - at.getTime());
      at = next;
    }
    return gap;
  } catch {
    return undefined;
  }
}

/**
 * A maintenance window starts either on a schedule or once: with both or neither, when it is open is unknown. One
 * of no length is never open; a recurring one as long as the time between its starts never closes, silencing its
 * services' alerts for good.
 */
export const windowTiming = defineRule({
  code: 'config/window-timing',
  check({ config, report }) {
    arr(config.maintenanceWindows).forEach((w, i) => {
      const window = obj(w);
      const name = String(window.id ?? i);
      const both = window.every !== undefined && window.start !== undefined;
      if (both || (window.every === undefined && window.start === undefined))
        report({
          severity: 'error',
          message: `maintenance window '${name}' ${both ? 'has both every: and start:' : 'has no every: or start:'}`,
          hint: 'give every: (a recurring window, e.g. "0 3 * * 0") or start: (a one-off, e.g. 2030-01-05T03:00:00Z), not both',
          path: ['maintenanceWindows', i],
        });
      // A one-off start carries its own offset (2030-01-05T03:00:00+01:00): nothing reads a time zone beside it.
      if (window.start !== undefined && window.every === undefined && window.timezone !== undefined)
        report({
          severity: 'error',
          message: `maintenance window '${name}' sets timezone, which only a recurring window (every:) reads`,
          hint: 'remove timezone and give the offset in start:, e.g. 2030-01-05T03:00:00+01:00',
          path: ['maintenanceWindows', i, 'timezone'],
          key: true,
        });
      if (typeof window.duration !== 'string') return;
      const length = durationMs(window.duration, '0s');
      if (length === 0)
        report({
          severity: 'error',
          message: `maintenance window '${name}' lasts ${window.duration}, so it is never open`,
          hint: 'give how long it lasts, e.g. duration: 1h',
          path: ['maintenanceWindows', i, 'duration'],
        });
      else if (length !== undefined && !both && typeof window.every === 'string') {
        const gap = shortestGap(window.every);
        if (gap !== undefined && length >= gap)
          report({
            severity: 'error',
            message: `maintenance window '${name}' lasts ${window.duration} but starts again every ${formatGap(gap)} (${window.every}): it never closes, and its services' alerts stay silenced`,
            hint: `give a duration shorter than ${formatGap(gap)}, or a schedule with more time between its starts`,
            path: ['maintenanceWindows', i, 'duration'],
          });
      }
    });
  },
});

const formatGap = (ms: number) =>
  ms % 86400e3 === 0
    ? `${ms / 86400e3}d`
    : ms % 3600e3 === 0
      ? `${ms / 3600e3}h`
      : `${Math.round(ms / 60e3)}m`;
