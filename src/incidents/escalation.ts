/**
 * The pure escalation step: given an incident and its escalation state at `now`, what to do (notify a
 * step, report a breached target, re-trigger after an ack timeout) and when to look again.
 */
import type { IncidentRecord } from '../store/index.js';
import type { EscalationState, PolicyStep } from './policy.js';

export type EscalationAction =
  | { kind: 'step'; step: PolicyStep; index: number; cycle: number; loop: number; dueAt: number }
  | { kind: 'breach'; target: 'ack' | 'resolve'; limitMs: number }
  | { kind: 'retrigger'; cycle: number };

export interface EscalationPlan {
  actions: EscalationAction[];
  state: EscalationState;
  /** Epoch ms of the next thing to do; null when nothing is left. */
  nextAt: number | null;
}

const acked = (i: IncidentRecord) => i.state !== 'triggered' && i.state !== 'resolved';

export function planEscalation(
  incident: IncidentRecord,
  current: EscalationState,
  now: number,
): EscalationPlan {
  const s: EscalationState = structuredClone(current);
  const { policy } = s;
  const actions: EscalationAction[] = [];
  const opened = Date.parse(incident.openedAt);
  if (incident.state === 'resolved') return { actions, state: s, nextAt: null };

  if (acked(incident) && policy.ackTimeoutMs !== undefined && incident.acknowledgedAt) {
    const timeout = Date.parse(incident.acknowledgedAt) + policy.ackTimeoutMs;
    if (timeout <= now) {
      s.cycle++;
      s.loop = 0;
      s.step = 0;
      s.loopStart = now;
      // The response target was met by the first ack; the new cycle is measured by its own steps.
      s.breached.ack = true;
      actions.push({ kind: 'retrigger', cycle: s.cycle });
    }
  }
  const triggered = incident.state === 'triggered' || actions.some((a) => a.kind === 'retrigger');

  // Steps run only while nobody has acknowledged; the catch-up runs every step already due, in order.
  while (triggered && s.step < policy.steps.length) {
    const step = policy.steps[s.step]!;
    const dueAt = s.loopStart + step.afterMs;
    if (dueAt > now) break;
    // After a stop (no instance running), several repeats of a step can be due at once: its people are paged once,
    // for the latest repeat, not once per missed repeat all in the same second.
    const missed = actions.findIndex((a) => a.kind === 'step' && a.index === s.step);
    if (missed >= 0) actions.splice(missed, 1);
    actions.push({ kind: 'step', step, index: s.step, cycle: s.cycle, loop: s.loop, dueAt });
    s.step++;
    if (s.step === policy.steps.length && policy.repeat && s.loop < policy.repeat.times) {
      s.loop++;
      s.step = 0;
      s.loopStart = dueAt + policy.repeat.afterMs - (policy.steps[0]?.afterMs ?? 0);
    }
  }

  const ackLimit = policy.respondWithinMs;
  if (ackLimit !== undefined && !s.breached.ack && !incident.acknowledgedAt && opened + ackLimit <= now) {
    s.breached.ack = true;
    actions.push({ kind: 'breach', target: 'ack', limitMs: ackLimit });
  }
  const resolveLimit = policy.resolveWithinMs;
  if (resolveLimit !== undefined && !s.breached.resolve && opened + resolveLimit <= now) {
    s.breached.resolve = true;
    actions.push({ kind: 'breach', target: 'resolve', limitMs: resolveLimit });
  }

  const candidates: number[] = [];
  if (triggered && s.step < policy.steps.length) candidates.push(s.loopStart + policy.steps[s.step]!.afterMs);
  if (ackLimit !== undefined && !s.breached.ack && !incident.acknowledgedAt)
    candidates.push(opened + ackLimit);
  if (resolveLimit !== undefined && !s.breached.resolve) candidates.push(opened + resolveLimit);
  if (!triggered && policy.ackTimeoutMs !== undefined && incident.acknowledgedAt)
    candidates.push(Date.parse(incident.acknowledgedAt) + policy.ackTimeoutMs);
  return { actions, state: s, nextAt: candidates.length ? Math.max(now, Math.min(...candidates)) : null };
}
