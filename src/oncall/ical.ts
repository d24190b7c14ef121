/**
 * iCal import (ical.js, the Mozilla parser, wrapped here and nowhere else): each event, recurrences
 * expanded over a window, becomes a span whose title names the contact on call.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import ICAL from 'ical.js';
import type { Span } from './types.js';

const MAX_OCCURRENCES = 5_000;
/** A team's on-call calendar is kilobytes; a URL answering without end must not fill serve's memory at start. */
export const MAX_CALENDAR_BYTES = 10 * 1024 * 1024;

export function parseCalendar(text: string, from: number, to: number): Span[] {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const spans: Span[] = [];
  for (const event of events) {
    if (event.isRecurrenceException()) continue;
    const contact = String(event.summary ?? '').trim();
    if (!contact) continue;
    if (!event.isRecurring()) {
      spans.push({
        contact,
        start: event.startDate.toJSDate().getTime(),
        end: event.endDate.toJSDate().getTime(),
      });
      continue;
    }
    const it = event.iterator();
    for (let n = 0, next = it.next(); next && n < MAX_OCCURRENCES; n++, next = it.next()) {
      const o = event.getOccurrenceDetails(next);
      const start = o.startDate.toJSDate().getTime();
      if (start >= to) break;
      // The first instance ends at DTEND as written; later ones last DTEND - DTSTART exactly (RFC 5545 3.8.5.3).
      const end = n === 0 ? event.endDate.toJSDate().getTime() : o.endDate.toJSDate().getTime();
      if (end > from) spans.push({ contact: String(o.item.summary ?? contact).trim(), start, end });
    }
  }
  return spans.filter((s) => s.end > from && s.start < to).sort((a, b) => a.start - b.start);
}

/** Reads a calendar from a URL (through the injected fetch) or a file relative to the project. */
export async function readCalendar(
  source: string,
  o: { cwd: string; fetch: typeof fetch; signal?: AbortSignal },
): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const res = await o.fetch(source, { signal: o.signal ?? AbortSignal.timeout(10_000) });
    // A private calendar's path is its key (Google's "secret address in iCal format"): logs get the host only.
    if (!res.ok) throw new Error(`GET ${new URL(source).origin}/… answered ${res.status}`);
    return readAtMost(res, MAX_CALENDAR_BYTES);
  }
  return readFile(isAbsolute(source) ? source : resolve(o.cwd, source), 'utf8');
}

async function readAtMost(res: Response, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new Error(`the calendar is larger than ${limit / 1024 / 1024} MB: is this URL an iCal feed?`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
