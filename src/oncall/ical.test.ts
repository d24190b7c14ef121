import { describe, expect, it } from 'vitest';
import { startServer } from '../../test/support/http-server.js';
import { parseCalendar, readCalendar } from './ical.js';
import { onCallAt } from './schedule.js';

const ICS = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:a@test
DTSTART;TZID=Europe/Berlin:20260323T090000
DTEND;TZID=Europe/Berlin:20260330T090000
RRULE:FREQ=WEEKLY;INTERVAL=2
SUMMARY:ana
END:VEVENT
BEGIN:VEVENT
UID:b@test
DTSTART;TZID=Europe/Berlin:20260330T090000
DTEND;TZID=Europe/Berlin:20260406T090000
RRULE:FREQ=WEEKLY;INTERVAL=2
SUMMARY:ben
END:VEVENT
END:VCALENDAR
`;

describe('iCal import', () => {
  it('expands recurring shifts in their zone, across the spring DST change', () => {
    const spans = parseCalendar(ICS, Date.parse('2026-03-20T00:00:00Z'), Date.parse('2026-04-20T00:00:00Z'));
    expect(spans.map((s) => [s.contact, new Date(s.start).toISOString()])).toEqual([
      ['ana', '2026-03-23T08:00:00.000Z'],
      ['ben', '2026-03-30T07:00:00.000Z'],
      ['ana', '2026-04-06T07:00:00.000Z'],
      ['ben', '2026-04-13T07:00:00.000Z'],
    ]);
    const spec = { id: 'cal', timeZone: 'Europe/Berlin', layers: [], overrides: [], events: spans };
    expect(onCallAt(spec, Date.parse('2026-03-30T06:59:00Z'))?.contact).toBe('ana');
    expect(onCallAt(spec, Date.parse('2026-03-30T07:00:00Z'))).toMatchObject({
      contact: 'ben',
      source: 'calendar',
    });
  });

  it('reads a calendar URL through the fetch it is given', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('content-type', 'text/calendar');
      res.end(ICS);
    });
    try {
      const text = await readCalendar(`${server.url}/oncall.ics`, { cwd: '/', fetch });
      expect(text).toContain('SUMMARY:ben');
      expect(server.requests.length).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("names only the host of a calendar URL that fails: a private calendar's path is its key", async () => {
    const server = await startServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    try {
      const error = await readCalendar(`${server.url}/calendar/ical/ana/private-8f3e2a/basic.ics`, {
        cwd: '/',
        fetch,
      }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`GET ${server.url}/… answered 404`);
    } finally {
      await server.close();
    }
  });

  it('stops reading a calendar URL that answers more than any calendar holds', async () => {
    let written = 0;
    const server = await startServer((_req, res) => {
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const more = () => {
        while (written < 64 && res.write(chunk)) written++;
        if (written < 64) res.once('drain', more);
        else res.end();
      };
      res.on('close', () => (written = 64));
      more();
    });
    try {
      const error = await readCalendar(`${server.url}/huge.ics`, { cwd: '/', fetch }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe('the calendar is larger than 10 MB: is this URL an iCal feed?');
    } finally {
      await server.close();
    }
  });
});
