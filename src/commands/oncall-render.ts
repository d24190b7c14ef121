/** How `opsbook oncall` prints who is on call (and each gap) and the coming shifts. */
import type { OnCallNow, ScheduleShifts } from '../app/oncall.js';
import type { Output } from '../output/index.js';
import { printable } from '../probes/index.js';

export function printOnCall(out: Output, now: OnCallNow): void {
  out.table(now.oncall, [
    { header: 'SCHEDULE', value: (r) => r.schedule },
    // Names come from iCal calendars too, maybe fetched from a URL: their control characters must not reach the terminal.
    { header: 'ON CALL', value: (r) => printable(r.name) },
    { header: 'SINCE', value: (r) => r.since ?? '-' },
    { header: 'UNTIL', value: (r) => r.until ?? '-' },
    { header: 'FROM', value: (r) => r.source ?? '-' },
  ]);
  for (const g of now.oncall.filter((r) => !r.contact))
    out.error(
      `nobody is on call in '${g.schedule}' at ${now.at}`,
      'add a layer or an override that covers it',
    );
  for (const r of now.oncall.filter((r) => r.contact && !r.declared))
    out.error(
      `'${printable(r.contact ?? '')}' is on call in '${r.schedule}' (${r.source ?? 'calendar'}) but is not one of incidents.contacts: an escalation cannot page them`,
      'title the calendar event with a contact id, or add the contact with a channel under incidents.contacts',
    );
}

export function printShifts(out: Output, schedules: ScheduleShifts[], days: number): void {
  for (const d of schedules) {
    out.heading(`${d.schedule} (${d.timeZone}), next ${days} days`);
    out.table(d.shifts, [
      { header: 'FROM (UTC)', value: (s) => s.start },
      { header: 'TO (UTC)', value: (s) => s.end },
      { header: 'ON CALL', value: (s) => printable(s.name) },
    ]);
  }
}
