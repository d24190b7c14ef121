/** The deployment log (kamiyo.md's template) and the DORA delivery metrics, both computed from recorded runs. */
import type { RunRecord } from '../store/index.js';
import { formatElapsed } from '../timing/index.js';
import { readState } from './journal.js';
import type { ManualRollback } from './undone-by.js';

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

/** `undoneBy`: the manual rollback that undid this run, if one did (see `manualRollbacks`). */
export function toLogEntry(run: RunRecord, branch: string, undoneBy?: ManualRollback): LogEntry | undefined {
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
    rollback: rollbackLine(run, s.rollback, undoneBy),
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
    `Duration: ${e.durationMs === null ? 'still running' : formatElapsed(e.durationMs)}`,
    `Downtime: ${Math.round(e.downtimeMs / 1000)} seconds`,
    `Issues: ${e.issues ?? 'None'}`,
    `Rollback: ${e.rollback ? `Yes - ${e.rollback}` : 'No'}`,
    `Notes: ${e.notes || `-`} (run ${e.runId}, ${e.status})`,
  ].join('\n');
}

export function renderLogMarkdown(entries: LogEntry[]): string {
  return `# Deployment log\n\n${entries.map((e) => `## ${e.date.slice(0, 10)} · ${e.environment} · ${e.status}\n\n\`\`\`\n${renderLogEntry(e)}\n\`\`\``).join('\n\n')}\n`;
}

/** Who rolled the run back and why; a run whose status says rolled back always says so, even without a record. */
function rollbackLine(
  run: RunRecord,
  own: { reason: string; automatic: boolean } | undefined,
  undoneBy: ManualRollback | undefined,
): string | null {
  const manual =
    undoneBy &&
    `by ${undoneBy.run.actor ?? 'a person'} with 'opsbook rollback' (run ${undoneBy.run.id}, ${undoneBy.run.startedAt.replace('T', ' ').slice(0, 16)} UTC)${undoneBy.reason ? `: ${undoneBy.reason}` : ''}`;
  const recorded = own && `${own.automatic ? 'automatic' : 'by a person'}: ${own.reason}`;
  if (recorded || manual) return [recorded, manual].filter(Boolean).join('; then ');
  return run.status === 'rolled-back' ? 'rolled back (no reason recorded)' : null;
}
