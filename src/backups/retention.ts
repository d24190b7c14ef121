/**
 * Which backups a retention policy keeps: grandfather-father-son buckets (the newest backup of each of the last N
 * days, ISO weeks and months), an age limit, a newest-N floor. The newest backup and the newest verified one are
 * always kept, so pruning can never leave nothing restorable.
 */

export interface RetentionRules {
  days?: number | undefined;
  keep?: number | undefined;
  daily?: number | undefined;
  weekly?: number | undefined;
  monthly?: number | undefined;
}

export interface RetentionItem {
  id: string;
  at: Date;
  verified: boolean;
}

export interface RetentionDecision {
  id: string;
  keep: boolean;
  /** Why it is kept; empty when it goes. */
  reasons: string[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const month = (d: Date) => d.toISOString().slice(0, 7);

/** ISO-8601 week, e.g. 2026-W49 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  // Move to the Thursday of the same week: its year is the ISO week-year.
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86400e3 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function applyRetention(
  items: readonly RetentionItem[],
  rules: RetentionRules,
  now: Date,
): RetentionDecision[] {
  const sorted = [...items].sort((a, b) => b.at.getTime() - a.at.getTime());
  const reasons = new Map(sorted.map((i) => [i.id, [] as string[]]));
  const why = (id: string, reason: string) => reasons.get(id)!.push(reason);

  const bucket = (label: string, count: number | undefined, of: (d: Date) => string) => {
    if (!count) return;
    const seen = new Set<string>();
    for (const i of sorted) {
      const b = of(i.at);
      if (seen.has(b)) continue;
      if (seen.size >= count) break;
      seen.add(b);
      why(i.id, `${label} ${b}`);
    }
  };
  bucket('daily', rules.daily, day);
  bucket('weekly', rules.weekly, isoWeek);
  bucket('monthly', rules.monthly, month);
  if (rules.keep) for (const i of sorted.slice(0, rules.keep)) why(i.id, `newest ${rules.keep}`);
  if (rules.days)
    for (const i of sorted)
      if (now.getTime() - i.at.getTime() < rules.days * 86400e3) why(i.id, `younger than ${rules.days} days`);
  if (sorted[0]) why(sorted[0].id, 'newest backup');
  const lastVerified = sorted.find((i) => i.verified);
  if (lastVerified) why(lastVerified.id, 'last verified backup');

  return sorted.map((i) => ({ id: i.id, keep: reasons.get(i.id)!.length > 0, reasons: reasons.get(i.id)! }));
}
