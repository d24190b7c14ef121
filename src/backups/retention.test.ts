import { describe, expect, it } from 'vitest';
import { applyRetention, isoWeek, type RetentionItem } from './retention.js';

/** One backup a day at 02:00 UTC for `days` days up to 2026-12-04. */
function daily(days: number, verified: (i: number) => boolean = () => false): RetentionItem[] {
  return Array.from({ length: days }, (_, i) => {
    const at = new Date(Date.UTC(2026, 11, 4 - i, 2));
    return { id: at.toISOString().slice(0, 10), at, verified: verified(i) };
  });
}
const NOW = new Date(Date.UTC(2026, 11, 4, 12));
const kept = (items: RetentionItem[], rules: Parameters<typeof applyRetention>[1]) =>
  applyRetention(items, rules, NOW)
    .filter((d) => d.keep)
    .map((d) => d.id);

describe('retention', () => {
  it('numbers ISO weeks the ISO way across a year boundary', () => {
    expect(isoWeek(new Date('2026-12-31T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-03T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(isoWeek(new Date('2026-12-04T00:00:00Z'))).toBe('2026-W49');
  });

  it('keeps the newest of each of the last N days, ISO weeks and months (GFS)', () => {
    // 2026-12-04 is a Friday: weeks start on Mondays 11-30, 11-23, 11-16, ...
    expect(kept(daily(100), { daily: 3, weekly: 3, monthly: 3 })).toEqual(
      [
        '2026-12-04', // daily, weekly W49, monthly 2026-12
        '2026-12-03', // daily
        '2026-12-02', // daily
        '2026-11-29', // weekly W48, the Sunday that ends it
        '2026-11-22', // weekly W47
        '2026-11-30', // monthly 2026-11
        '2026-10-31', // monthly 2026-10
      ]
        .sort()
        .reverse(),
    );
  });

  it('keeps by age, and by the newest N', () => {
    expect(kept(daily(10), { days: 3 })).toEqual(['2026-12-04', '2026-12-03', '2026-12-02']);
    expect(kept(daily(10), { keep: 2 })).toEqual(['2026-12-04', '2026-12-03']);
  });

  it('never drops the newest backup or the last verified one, even when every rule lets them go', () => {
    const old = daily(60).slice(40);
    const decisions = applyRetention(old, { days: 7 }, NOW);
    expect(decisions.filter((d) => d.keep).map((d) => [d.id, d.reasons])).toEqual([
      [old[0]!.id, ['newest backup']],
    ]);
    const withVerified = daily(20, (i) => i === 15);
    const verified = applyRetention(withVerified, { keep: 2 }, NOW).filter((d) => d.keep);
    expect(verified.map((d) => d.id)).toEqual(['2026-12-04', '2026-12-03', '2026-11-19']);
    expect(verified[2]!.reasons).toEqual(['last verified backup']);
  });
});
