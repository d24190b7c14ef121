/**
 * One rule's lifecycle, as Prometheus evaluates it: inactive -> pending (condition true, `for` not yet
 * elapsed) -> firing -> resolved. A single false evaluation drops a pending alert back to inactive, and
 * `keepFiringFor` holds a firing alert through short clears so it does not flap.
 */
import type { AlertRule, AlertState, Observation, Transition } from './types.js';

export function initialState(): AlertState {
  return { status: 'inactive', group: { seq: 0 } };
}

export interface StepResult {
  state: AlertState;
  transition?: Transition;
}

export function stepAlert(prev: AlertState, obs: Observation, rule: AlertRule, now: number): StepResult {
  const measured = { ...(obs.value !== undefined ? { value: obs.value } : {}), summary: obs.summary };
  const base: AlertState = { ...prev, value: undefined, ...measured };
  if (obs.active) {
    if (prev.status === 'firing') return { state: { ...base, lastActiveAt: now } };
    const activeAt = prev.status === 'pending' ? (prev.activeAt ?? now) : now;
    if (now - activeAt >= rule.forMs) {
      return {
        state: {
          ...base,
          status: 'firing',
          activeAt,
          firedAt: now,
          lastActiveAt: now,
          resolvedAt: undefined,
        },
        transition: 'firing',
      };
    }
    return {
      state: { ...base, status: 'pending', activeAt, lastActiveAt: now },
      ...(prev.status === 'pending' ? {} : { transition: 'pending' as const }),
    };
  }
  if (prev.status === 'pending')
    return { state: { ...base, status: 'inactive', activeAt: undefined }, transition: 'cleared' };
  if (prev.status === 'firing') {
    const held = now - (prev.lastActiveAt ?? now) < rule.keepFiringForMs;
    if (held) return { state: { ...base, status: 'firing' } };
    return {
      state: { ...base, status: 'inactive', activeAt: undefined, resolvedAt: now },
      transition: 'resolved',
    };
  }
  return { state: base };
}
