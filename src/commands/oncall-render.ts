/** How `opsbook oncall` prints who is on call (and each gap) and the coming shifts. */
import type { OnCallNow, ScheduleShifts } from '../app/oncall.js';
import type { Output } from '../output/index.js';

export function printOnCall(out: Output, now: OnCallNow): void {
  out.table(now.oncall, [
    { header: 'SCHEDULE', value: (r) => r.schedule },
    { header: 'ON CALL', value: (r) => r.name },
    { header: 'SINCE', value: (r) => r.since ?? '-' },
    { header: 'UNTIL', value: (r) => r.until ?? '-' },
    { header: 'FROM', value: (r) => r.source ?? '-' },
  ]);
  for (const g of now.oncall.filter((r) => !r.contact))
    out.error(
      `nobody is on call in '${g.schedule}' at ${now.at}`,
      'add a layer or an override that covers it',
    );
}

export function printShifts(out: Output, schedules: ScheduleShifts[], days: number): void {
  for (const d of schedules) {
    out.heading(`${d.schedule} (${d.timeZone}), next ${days} days`);
    out.table(d.shifts, [
      { header: 'FROM (UTC)', value: (s) => s.start },
      { header: 'TO (UTC)', value: (s) => s.end },
      { header: 'ON CALL', value: (s) => s.name },
    ]);
  }
}
