/**
 * Everything known about one incident: its timeline merged with the deploys and rollbacks of its
 * environment in the hour before and during it, with the deploy lock's changes and the affected services'
 * env changes of that window, and the figures a postmortem needs (time to detect, acknowledge and resolve
 * against the severity's targets; impact from the probe data; SLO budget burned).
 */
import { parseDuration, parsePercent } from '../config/index.js';
import type { IncidentRecord, RunRecord } from '../store/index.js';
import type { IncidentContext } from './actions.js';
import { changesAround } from './changes.js';
import type { EscalationState } from './policy.js';

export const DEPLOY_WINDOW_MS = 3_600_000;

export interface ReportEntry {
  at: string;
  kind: string;
  message: string;
  actor: string | null;
  public: boolean;
}

export interface ReportDeploy {
  id: string;
  kind: string;
  status: string;
  actor: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** Relative to the incident: before, during. */
  when: 'before' | 'during';
}

export interface IncidentReport {
  incident: IncidentRecord;
  timeline: ReportEntry[];
  deploys: ReportDeploy[];
  times: {
    /** First failing check (the alert's active-at) to the incident opening. */
    detectMs: number | null;
    ackMs: number | null;
    resolveMs: number | null;
    ackTargetMs: number | null;
    resolveTargetMs: number | null;
  };
  impact: {
    durationMs: number;
    components: string[];
    checks: { total: number; down: number };
    /** Share of checks that failed: the estimate for the share of requests that failed. */
    failedShare: number | null;
    /** Null without probe data in the window. */
    slos: { id: string; objective: number; budgetBurned: number | null }[];
  };
}

export async function buildReport(ctx: IncidentContext, incident: IncidentRecord): Promise<IncidentReport> {
  const now = (ctx.now ?? Date.now)();
  const opened = Date.parse(incident.openedAt);
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  const entries = await ctx.store.incidents.listTimeline(incident.id);
  const inWindow = (at: string) => Date.parse(at) >= opened - DEPLOY_WINDOW_MS && Date.parse(at) <= end;
  const recent = await ctx.store.listRuns({ environment: incident.environment, limit: 200 });
  const runs = recent.filter((r) => (r.kind === 'deploy' || r.kind === 'rollback') && inWindow(r.startedAt));
  const changes = await changesAround(ctx.store, incident, recent, inWindow);
  const deploys = runs.map((r) => toDeploy(r, opened)).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const timeline: ReportEntry[] = [
    ...entries.map((e) => ({ at: e.at, kind: e.kind, message: e.message, actor: e.actor, public: e.public })),
    ...deploys.map((d) => ({
      at: d.startedAt,
      kind: d.kind,
      message: `${d.kind === 'rollback' ? 'Rollback' : 'Deploy'} ${d.id} ${d.status}${d.finishedAt ? ` (finished ${d.finishedAt})` : ''}`,
      actor: d.actor,
      public: false,
    })),
    ...changes.map((c) => ({ ...c, public: false })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  const firstFailure = entries
    .filter((e) => e.kind === 'alert')
    .map(
      (e) => (e.data as { activeAt?: number | null; firedAt?: number } | null)?.activeAt ?? Date.parse(e.at),
    )
    .reduce<number | null>((min, t) => (min === null || t < min ? t : min), null);
  const policy = (incident.escalation as unknown as EscalationState | null)?.policy;
  const firstAck = entries.find((e) => e.kind === 'ack');
  const impact = await measureImpact(ctx, incident, opened, end);
  return {
    incident,
    timeline,
    deploys,
    times: {
      detectMs: firstFailure === null ? null : Math.max(0, opened - firstFailure),
      ackMs: firstAck ? Date.parse(firstAck.at) - opened : null,
      resolveMs: incident.resolvedAt ? end - opened : null,
      ackTargetMs: policy?.respondWithinMs ?? null,
      resolveTargetMs: policy?.resolveWithinMs ?? null,
    },
    impact,
  };
}

function toDeploy(r: RunRecord, opened: number): ReportDeploy {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    actor: r.actor,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    when: Date.parse(r.startedAt) < opened ? 'before' : 'during',
  };
}

async function measureImpact(ctx: IncidentContext, incident: IncidentRecord, from: number, to: number) {
  const checks = { total: 0, down: 0 };
  for (const service of incident.services) {
    const u = await ctx.store.monitoring.uptime(
      { service, environment: incident.environment },
      from,
      Math.max(to, from + 1),
    );
    checks.total += u.total;
    checks.down += u.down;
  }
  const failedShare = checks.total ? checks.down / checks.total : null;
  const durationMs = to - from;
  const slos = ctx.config.slos
    .filter((s) => incident.services.includes(s.service) && s.indicator === 'availability')
    .map((s) => {
      const objective = parsePercent(s.objective);
      const budgetMs = (1 - objective / 100) * parseDuration(s.window);
      return {
        id: s.id,
        objective,
        // No probe data is no measurement: it read "0.0% of the error budget burned" of an incident nobody measured.
        budgetBurned: failedShare === null ? null : budgetMs > 0 ? (failedShare * durationMs) / budgetMs : 0,
      };
    });
  return { durationMs, components: incident.services, checks, failedShare, slos };
}
