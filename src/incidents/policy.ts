/**
 * The escalation policy an incident runs: a snapshot of the config's steps for its severity, taken when it
 * opens so that editing the config never changes an escalation already running, plus where it stands.
 */
import { parseDuration, type StackConfig } from '../config/index.js';

export interface PolicyStep {
  level: number;
  afterMs: number;
  notify: string[];
  action?: string;
}

export interface PolicySnapshot {
  severity: string;
  severityName: string;
  steps: PolicyStep[];
  repeat?: { times: number; afterMs: number };
  ackTimeoutMs?: number;
  respondWithinMs?: number;
  resolveWithinMs?: number;
  /** The severity's channels: where breaches and "nobody on call" go. */
  channels: string[];
  page: boolean;
}

/** Where the escalation stands. A cycle restarts after an ack timeout; a loop is one pass of the steps. */
export interface EscalationState {
  policy: PolicySnapshot;
  cycle: number;
  loop: number;
  /** The next step to run. */
  step: number;
  /** Epoch ms the current loop started: step i is due at loopStart + steps[i].afterMs. */
  loopStart: number;
  breached: { ack?: boolean; resolve?: boolean };
}

export function snapshotPolicy(config: StackConfig, severity: string): PolicySnapshot {
  const incidents = config.incidents;
  const sev = incidents?.severities[severity];
  const steps = (incidents?.escalation ?? [])
    .filter((s) => !s.severities || s.severities.includes(severity))
    .map((s) => ({
      level: s.level,
      afterMs: parseDuration(s.after),
      notify: s.notify,
      ...(s.action ? { action: s.action } : {}),
    }))
    .sort((a, b) => a.afterMs - b.afterMs || a.level - b.level);
  return {
    severity,
    severityName: sev?.name ?? severity,
    steps,
    ...(incidents?.repeat
      ? { repeat: { times: incidents.repeat.times, afterMs: parseDuration(incidents.repeat.after) } }
      : {}),
    ...(incidents?.ackTimeout ? { ackTimeoutMs: parseDuration(incidents.ackTimeout) } : {}),
    ...(sev?.respondWithin && sev.respondWithin !== 'next-business-day'
      ? { respondWithinMs: parseDuration(sev.respondWithin) }
      : {}),
    ...(sev?.resolveWithin ? { resolveWithinMs: parseDuration(sev.resolveWithin) } : {}),
    channels: sev?.channels ?? [],
    page: sev?.page ?? false,
  };
}

export function startEscalation(policy: PolicySnapshot, openedAt: number): EscalationState {
  return { policy, cycle: 0, loop: 0, step: 0, loopStart: openedAt, breached: {} };
}
