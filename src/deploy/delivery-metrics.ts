/** The DORA delivery metrics, computed from recorded deploy runs and the manual rollbacks that undid some. */
import type { RunRecord } from '../store/index.js';
import { type DeployState, readState } from './journal.js';
import { manualRollbacks, wentLive } from './undone-by.js';

export interface DeliveryMetrics {
  windowDays: number;
  deploys: number;
  /** Successful production deploys per day over the window. */
  deployFrequencyPerDay: number;
  /** Median time from a commit to it being live and verified. */
  leadTimeMedianMs: number | null;
  /** Share of deploys that went live and then had to be rolled back or failed verification. */
  changeFailureRate: number | null;
  /** Median time from a failed change to service restored (rollback, or the next good deploy). */
  timeToRestoreMedianMs: number | null;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * `runs`: deploy runs; `rollbacks`: the environment's `opsbook rollback` runs. A change failed when it went
 * live (any group of it) and was rolled back, automatically or by a person, or failed. Time to restore runs
 * from the failure (for a manual rollback of a verified deploy, when the person started the rollback: the
 * earliest moment on record) to traffic back on a good release.
 */
export function deliveryMetrics(
  runs: RunRecord[],
  now: number,
  windowDays = 30,
  rollbacks: RunRecord[] = [],
): DeliveryMetrics {
  const since = now - windowDays * 86_400_000;
  const items = runs
    .filter((r) => Date.parse(r.startedAt) >= since)
    .map((r) => ({ run: r, s: readState(r) }))
    .filter((x): x is { run: RunRecord; s: DeployState } => Boolean(x.s))
    .sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt));
  const undone = manualRollbacks(
    items.map((x) => x.run),
    rollbacks,
  );
  const succeeded = items.filter((x) => x.run.status === 'succeeded');
  const live = items.filter((x) => wentLive(x.s));
  const failedChanges = live.filter(
    (x) => ['rolled-back', 'failed'].includes(x.run.status) || undone.has(x.run.id),
  );
  const leadTimes = succeeded.flatMap((x) => {
    const at = Date.parse(x.s.times.verifiedAt ?? x.s.times.liveAt ?? x.run.finishedAt ?? x.run.startedAt);
    return x.s.commitRange.map((c) => at - Date.parse(c.at)).filter((d) => d >= 0);
  });
  const restores = failedChanges.flatMap((x) => {
    const manual = undone.get(x.run.id)?.run;
    const failedAt = Date.parse(
      x.s.times.failedAt ?? manual?.startedAt ?? x.s.times.liveAt ?? x.run.startedAt,
    );
    // Its own rollback restored service only if the run ended rolled back (the restored release verified).
    const ownRestore =
      x.run.status === 'rolled-back' && (x.s.times.trafficRestoredAt ?? x.s.times.restoredAt);
    if (ownRestore) return [Date.parse(ownRestore) - failedAt];
    if (manual?.status === 'rolled-back' && manual.finishedAt)
      return [Date.parse(manual.finishedAt) - failedAt];
    const next = succeeded.find((y) => y.run.startedAt > x.run.startedAt);
    return next?.s.times.verifiedAt ? [Date.parse(next.s.times.verifiedAt) - failedAt] : [];
  });
  return {
    windowDays,
    deploys: items.length,
    deployFrequencyPerDay: succeeded.length / windowDays,
    leadTimeMedianMs: median(leadTimes),
    changeFailureRate: live.length ? failedChanges.length / live.length : null,
    timeToRestoreMedianMs: median(restores),
  };
}
