/**
 * When a group (one rule on one service) tells its channels something, as Alertmanager times it:
 * a new firing group waits `groupWait` so an inhibiting alert that fires at the same moment (the
 * database behind it) can mute it first; a change is sent no sooner than `groupInterval` after the last
 * notification; an unchanged firing group is repeated every `repeatInterval`. A muted (silenced or
 * inhibited) group sends no firing notice, but its resolution still reaches whoever heard it fire.
 */
import type { AlertRule, AlertState, GroupState } from './types.js';

export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
}

export const DEFAULT_GROUP_TIMING: GroupTiming = { groupWaitMs: 30_000, groupIntervalMs: 300_000 };

export interface GroupDecision {
  /** What to send now, if anything. */
  send?: { status: 'firing' | 'resolved'; repeat: boolean };
  group: GroupState;
}

export function decideGroup(
  rule: AlertRule,
  state: AlertState,
  muted: boolean,
  now: number,
  timing: GroupTiming,
): GroupDecision {
  const group = state.group;
  const sinceLast = group.lastNotifiedAt === undefined ? Infinity : now - group.lastNotifiedAt;
  const emit = (status: 'firing' | 'resolved', repeat: boolean): GroupDecision => ({
    send: { status, repeat },
    group: { seq: group.seq + 1, notified: status, lastNotifiedAt: now },
  });

  if (state.status === 'firing') {
    if (muted) return { group };
    if (group.notified === 'firing')
      return sinceLast >= rule.repeatIntervalMs ? emit('firing', true) : { group };
    const waited = now - (state.firedAt ?? now) >= timing.groupWaitMs;
    return waited && sinceLast >= timing.groupIntervalMs ? emit('firing', false) : { group };
  }
  // Not firing: only a group that announced firing has something to say.
  if (group.notified === 'firing' && sinceLast >= timing.groupIntervalMs) return emit('resolved', false);
  return { group };
}
