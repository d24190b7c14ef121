/**
 * Which deploy run each manual rollback (`opsbook rollback`) undid: the deploy that put up the release the
 * rollback moved away from, so the log and the delivery metrics count it as a failed change.
 */
import type { RunRecord } from '../store/index.js';
import { type DeployState, readState } from './journal.js';

interface RollbackSummary {
  reason?: string | null;
  services?: { service: string; from: string | null; result: unknown }[];
}

/** A manual rollback that changed something, and what it says about the deploy it undid. */
export interface ManualRollback {
  run: RunRecord;
  reason: string | null;
}

/** A run put at least one service live, whether or not every group got there. */
export function wentLive(s: DeployState): boolean {
  return Boolean(
    s.times.liveAt ||
      Object.values(s.services).some((v) => ['live', 'rolled-back', 'rollback-failed'].includes(v.state)),
  );
}

/**
 * Map from deploy run id to the manual rollback that undid it. A rollback undoes the deploy run whose
 * release it moved a service away from; when the platform could not say what served, the newest deploy
 * that went live before it.
 */
export function manualRollbacks(deploys: RunRecord[], rollbacks: RunRecord[]): Map<string, ManualRollback> {
  const live = deploys
    .map((run) => ({ run, s: readState(run) }))
    .filter((x): x is { run: RunRecord; s: DeployState } => Boolean(x.s && wentLive(x.s)))
    .sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt));
  const undone = new Map<string, ManualRollback>();
  for (const rb of rollbacks) {
    if (rb.kind !== 'rollback') continue;
    const summary = (rb.summary ?? {}) as RollbackSummary;
    const moved = (summary.services ?? []).filter((r) => r.result);
    if (!moved.length) continue;
    const before = live.filter(
      (x) => x.run.environment === rb.environment && x.run.startedAt <= rb.startedAt,
    );
    const from = new Set(moved.map((r) => r.from).filter((f): f is string => Boolean(f)));
    const target =
      before.find((x) => Object.values(x.s.services).some((v) => v.deploy && from.has(v.deploy.id))) ??
      before[0];
    if (target && !undone.has(target.run.id))
      undone.set(target.run.id, { run: rb, reason: summary.reason ?? null });
  }
  return undone;
}
