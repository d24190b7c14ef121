/** The deployment log (kamiyo.md's template) and the DORA delivery metrics, both computed from recorded runs. */
import type { RunRecord } from '../store/index.js';
import { formatDuration } from './announce.js';
import { type DeployState, readState } from './journal.js';

export interface LogEntry {
  runId: string;
  status: string;
  environment: string;
  date: string;
  deployer: string;
  branch: string;
  commit: string | null;
  commits: number;
  services: string[];
  durationMs: number | null;
  downtimeMs: number;
  issues: string | null;
  rollback: string | null;
  notes: string;
}

export function toLogEntry(run: RunRecord, branch: string): LogEntry | undefined {
  const s = readState(run);
  if (!s) return undefined;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : null;
  return {
    runId: run.id,
    status: run.status,
    environment: s.plan.environment,
    date: run.startedAt,
    deployer: s.actor,
    branch,
    commit: s.commit,
    commits: s.commitRange.length,
    services: s.plan.groups.flat(),
    durationMs: end ? end - Date.parse(run.startedAt) : null,
    downtimeMs: s.downtimeMs,
    issues:
      [s.failure && `${s.failure.trigger}: ${s.failure.reason}`, ...(s.issues ?? [])]
        .filter(Boolean)
        .join('; ') || null,
    rollback: s.rollback
      ? `${s.rollback.automatic ? 'automatic' : 'by a person'}: ${s.rollback.reason}`
      : null,
    notes: [
      s.verification?.reason && `verification: ${s.verification.reason}`,
      s.rollbackVerification && `after rollback: ${s.rollbackVerification.reason}`,
      ...(s.confirmations ?? []).map(
        (c) =>
          `confirmed by ${c.by} at ${c.at.replace('T', ' ').slice(0, 16)}: ${c.question} ${c.answer ? 'yes' : 'no'}`,
      ),
    ]
      .filter(Boolean)
      .join('; '),
  };
}

export function renderLogEntry(e: LogEntry): string {
  return [
    `Date: ${e.date.replace('T', ' ').slice(0, 16)} UTC`,
    `Deployer: ${e.deployer}`,
    `Branch: ${e.branch}`,
    `Commit: ${e.commit?.slice(0, 12) ?? 'working tree'}${e.commits ? ` (${e.commits} commit(s) since the last deploy)` : ''}`,
    `Services: ${e.services.join(' + ')}`,
    `Duration: ${e.durationMs === null ? 'still running' : formatDuration(e.durationMs)}`,
    `Downtime: ${Math.round(e.downtimeMs / 1000)} seconds`,
    `Issues: ${e.issues ?? 'None'}`,
    `Rollback: ${e.rollback ? `Yes - ${e.rollback}` : 'No'}`,
    `Notes: ${e.notes || `-`} (run ${e.runId}, ${e.status})`,
  ].join('\n');
}

export function renderLogMarkdown(entries: LogEntry[]): string {
  return `# Deployment log\n\n${entries.map((e) => `## ${e.date.slice(0, 10)} · ${e.environment} · ${e.status}\n\n\`\`\`\n${renderLogEntry(e)}\n\`\`\``).join('\n\n')}\n`;
}

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

export function deliveryMetrics(runs: RunRecord[], now: number, windowDays = 30): DeliveryMetrics {
  const since = now - windowDays * 86_400_000;
  const items = runs
    .filter((r) => Date.parse(r.startedAt) >= since)
    .map((r) => ({ run: r, s: readState(r) }))
    .filter((x): x is { run: RunRecord; s: DeployState } => Boolean(x.s))
    .sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt));
  const succeeded = items.filter((x) => x.run.status === 'succeeded');
  const wentLive = items.filter((x) => x.s.times.liveAt);
  const failedChanges = wentLive.filter((x) => ['rolled-back', 'failed'].includes(x.run.status));
  const leadTimes = succeeded.flatMap((x) => {
    const at = Date.parse(x.s.times.verifiedAt ?? x.s.times.liveAt ?? x.run.finishedAt ?? x.run.startedAt);
    return x.s.commitRange.map((c) => at - Date.parse(c.at)).filter((d) => d >= 0);
  });
  const restores = failedChanges.flatMap((x) => {
    const failedAt = Date.parse(x.s.times.failedAt ?? x.s.times.liveAt!);
    if (x.s.times.restoredAt) return [Date.parse(x.s.times.restoredAt) - failedAt];
    const next = succeeded.find((y) => y.run.startedAt > x.run.startedAt);
    return next?.s.times.verifiedAt ? [Date.parse(next.s.times.verifiedAt) - failedAt] : [];
  });
  return {
    windowDays,
    deploys: items.length,
    deployFrequencyPerDay: succeeded.length / windowDays,
    leadTimeMedianMs: median(leadTimes),
    changeFailureRate: wentLive.length ? failedChanges.length / wentLive.length : null,
    timeToRestoreMedianMs: median(restores),
  };
}
