import { describe, expect, it } from 'vitest';
import { findGaps } from './gaps.js';
import { expandSchedule, onCallAt } from './schedule.js';
import type { RotationLayer, ScheduleSpec } from './types.js';

const spec = (
  timeZone: string,
  layers: RotationLayer[],
  extra: Partial<ScheduleSpec> = {},
): ScheduleSpec => ({
  id: 'primary',
  timeZone,
  layers,
  overrides: [],
  events: [],
  ...extra,
});
const who = (s: ScheduleSpec, iso: string) => onCallAt(s, Date.parse(iso))?.contact;

describe('rotations across DST', () => {
  // Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
  const berlin = spec('Europe/Berlin', [
    { rotation: 'daily', handoff: '09:00', start: '2026-03-01', participants: ['ana', 'ben'] },
  ]);

  it('hands off at 09:00 local on the European spring-forward day (a 23-hour shift)', () => {
    // 2026-03-28 is day 27: ben (odd). His shift ends 2026-03-29 09:00 CEST = 07:00Z.
    expect(who(berlin, '2026-03-29T06:59:00Z')).toBe('ben');
    expect(who(berlin, '2026-03-29T07:00:00Z')).toBe('ana');
    const on = onCallAt(berlin, Date.parse('2026-03-29T06:00:00Z'))!;
    expect(on.since).toBe(Date.parse('2026-03-28T08:00:00Z'));
    expect(on.until - on.since).toBe(23 * 3_600_000);
  });

  it('hands off at 09:00 local on the European fall-back day (a 25-hour shift)', () => {
    // 2026-10-24 is day 237: ben. Ends 2026-10-25 09:00 CET = 08:00Z.
    expect(who(berlin, '2026-10-25T07:30:00Z')).toBe('ben');
    expect(who(berlin, '2026-10-25T08:00:00Z')).toBe('ana');
    const on = onCallAt(berlin, Date.parse('2026-10-25T07:30:00Z'))!;
    expect(on.until - on.since).toBe(25 * 3_600_000);
  });

  // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
  const newYork = spec('America/New_York', [
    { rotation: 'weekly', handoff: '10:00', start: '2026-01-05', participants: ['cy', 'di', 'ed'] },
  ]);

  it('keeps a weekly handoff at 10:00 local across the American spring-forward', () => {
    // Week 9 (cy) starts Mon 2026-03-09 10:00 EDT = 14:00Z; week 8 (ed) started 2026-03-02 10:00 EST = 15:00Z.
    expect(who(newYork, '2026-03-09T13:59:00Z')).toBe('ed');
    expect(who(newYork, '2026-03-09T14:00:00Z')).toBe('cy');
    const on = onCallAt(newYork, Date.parse('2026-03-05T12:00:00Z'))!;
    expect(on.since).toBe(Date.parse('2026-03-02T15:00:00Z'));
    expect(on.until).toBe(Date.parse('2026-03-09T14:00:00Z'));
  });

  it('keeps a weekly handoff at 10:00 local across the American fall-back', () => {
    // 2026-11-02 is week 43 (cy -> di): 10:00 EST = 15:00Z.
    expect(who(newYork, '2026-11-02T14:59:00Z')).toBe('cy');
    expect(who(newYork, '2026-11-02T15:00:00Z')).toBe('di');
    const on = onCallAt(newYork, Date.parse('2026-11-01T12:00:00Z'))!;
    expect(on.until - on.since).toBe(7 * 86_400_000 + 3_600_000);
  });

  it('moves a handoff inside the spring-forward gap forward by the gap, as Temporal does', () => {
    const s = spec('America/New_York', [
      { rotation: 'daily', handoff: '02:30', start: '2026-03-07', participants: ['cy', 'di'] },
    ]);
    // 2026-03-08 02:30 does not exist; the handoff happens at 03:30 EDT = 07:30Z.
    expect(who(s, '2026-03-08T07:29:00Z')).toBe('cy');
    expect(who(s, '2026-03-08T07:30:00Z')).toBe('di');
  });
});

describe('layers, overrides and gaps', () => {
  const base: RotationLayer = {
    rotation: 'weekly',
    handoff: '09:00',
    start: '2026-01-05',
    participants: ['ana', 'ben'],
  };

  it('lets a later layer win where it covers, and an override win over every layer', () => {
    const s = spec(
      'UTC',
      [base, { ...base, rotation: 'daily', participants: ['zoe'], days: ['sat', 'sun'] }],
      {
        overrides: [
          {
            contact: 'max',
            start: Date.parse('2026-01-07T00:00:00Z'),
            end: Date.parse('2026-01-08T00:00:00Z'),
          },
        ],
      },
    );
    expect(who(s, '2026-01-06T12:00:00Z')).toBe('ana');
    expect(who(s, '2026-01-07T12:00:00Z')).toBe('max');
    expect(who(s, '2026-01-10T12:00:00Z')).toBe('zoe');
    expect(onCallAt(s, Date.parse('2026-01-06T12:00:00Z'))?.until).toBe(Date.parse('2026-01-07T00:00:00Z'));
  });

  it('finds the gaps of a weekday-only rotation, and none in a full one', () => {
    const weekdays = spec('UTC', [{ ...base, rotation: 'daily', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }]);
    const gaps = findGaps(weekdays, Date.parse('2026-01-05T09:00:00Z'), 14 * 86_400_000);
    expect(gaps.map((g) => new Date(g.start).toISOString())).toEqual([
      '2026-01-10T09:00:00.000Z',
      '2026-01-17T09:00:00.000Z',
    ]);
    expect(gaps[0]!.end - gaps[0]!.start).toBe(2 * 86_400_000);
    expect(findGaps(spec('UTC', [base]), Date.parse('2026-01-05T09:00:00Z'))).toEqual([]);
  });

  it('expands to consecutive stretches that tile the range', () => {
    const from = Date.parse('2026-01-05T09:00:00Z');
    const parts = expandSchedule(spec('UTC', [base]), from, from + 21 * 86_400_000);
    expect(parts.map((p) => p.contact)).toEqual(['ana', 'ben', 'ana']);
    expect(parts.every((p, i) => i === 0 || p.start === parts[i - 1]!.end)).toBe(true);
  });
});
