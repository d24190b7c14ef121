import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { parseSchedule, previousOccurrence, scheduleProblem } from './index.js';

describe('schedules', () => {
  it("gives UTC schedules the dates croner gives in the 'UTC' time zone", () => {
    const patterns = [
      'hourly',
      'daily',
      'weekly',
      'monthly',
      'quarterly',
      'yearly',
      '30 2 * * *',
      '*/15 * * * *',
      '0 9 * * 1-5',
      '0 0 29 2 *',
      '0 0 L * *',
    ];
    for (const text of patterns) {
      const ours = parseSchedule(text);
      const named: Record<string, string> = {
        hourly: '0 * * * *',
        daily: '0 0 * * *',
        weekly: '0 0 * * 1',
        monthly: '0 0 1 * *',
        quarterly: '0 0 1 */3 *',
        yearly: '0 0 1 1 *',
      };
      const croner = new Cron(named[text] ?? text, { paused: true, timezone: 'UTC' });
      // Every 37 hours through two years, leap day included: both land on the same instants.
      for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2025, 0, 1); t += 37 * 3600e3) {
        const after = new Date(t);
        expect(ours.next(after).toISOString(), `${text} after ${after.toISOString()}`).toBe(
          croner.nextRun(after)?.toISOString(),
        );
      }
    }
  });

  it('keeps named time zones: 02:30 daily in Europe/Berlin is 00:30 UTC in summer and 01:30 in winter', () => {
    const berlin = parseSchedule('30 2 * * *', 'Europe/Berlin');
    expect(berlin.next(new Date('2024-07-01T12:00:00Z')).toISOString()).toBe('2024-07-02T00:30:00.000Z');
    expect(berlin.next(new Date('2024-01-10T12:00:00Z')).toISOString()).toBe('2024-01-11T01:30:00.000Z');
  });

  it('refuses an unknown time zone and a malformed expression', () => {
    expect(scheduleProblem('daily', 'Mars/Olympus_Mons')).toBeTruthy();
    expect(scheduleProblem('61 * * * *')).toBeTruthy();
    expect(scheduleProblem('weekly', 'UTC')).toBeUndefined();
  });

  it('refuses a pattern that parses but no date matches, so it would never fire', () => {
    for (const text of ['0 0 30 2 *', '0 3 31 4 *', '0 0 31 2,4,6 *'])
      expect(scheduleProblem(text), text).toMatch(/never run/);
    // Rare is not never: a leap day, and the 31st of every other month, do come.
    expect(scheduleProblem('0 0 29 2 *')).toBeUndefined();
    expect(scheduleProblem('0 0 31 */2 *')).toBeUndefined();
    expect(scheduleProblem('0 0 31 2,4,6 *', 'Mars/Olympus_Mons')).toMatch(/time zone/i);
  });

  it('refuses a six-field pattern, whose first field croner would read as seconds', () => {
    expect(scheduleProblem('0 3 * * * *')).toMatch(/6 fields.*seconds.*give cron's 5/);
    expect(scheduleProblem('* * * * * *')).toMatch(/6 fields/);
    expect(scheduleProblem('0 3 * * *')).toBeUndefined();
  });

  it('finds the last occurrence at or before a moment', () => {
    const weekly = parseSchedule('weekly');
    // 2024-03-06 is a Wednesday: the Monday before at midnight.
    expect(previousOccurrence(weekly, new Date('2024-03-06T10:00:00Z'))?.toISOString()).toBe(
      '2024-03-04T00:00:00.000Z',
    );
  });
});
