/**
 * Whether something that should report in did: a heartbeat that pings every `period`, or a scheduled job (backup,
 * restore drill) that must succeed within `window` of each scheduled time. Pure functions over times.
 */
import { previousOccurrence, type Schedule } from '../schedule/index.js';
import type { HeartbeatState } from './state.js';

export interface Verdict {
  outcome: 'up' | 'down';
  message: string;
}

const ago = (ms: number) =>
  ms >= 86400e3
    ? `${(ms / 86400e3).toFixed(1)} d`
    : ms >= 3600e3
      ? `${(ms / 3600e3).toFixed(1)} h`
      : `${Math.round(ms / 60e3)} min`;

export function heartbeatVerdict(
  state: HeartbeatState,
  periodMs: number,
  graceMs: number,
  now: Date,
): Verdict {
  const limit = periodMs + graceMs;
  if (state.lastKind === 'fail')
    return { outcome: 'down', message: `reported a failure at ${state.lastPingAt}` };
  if (!state.lastPingAt) {
    const waited = now.getTime() - Date.parse(state.watchingSince);
    return waited > limit
      ? { outcome: 'down', message: `no ping in the ${ago(waited)} since opsbook started watching` }
      : { outcome: 'up', message: 'waiting for the first ping' };
  }
  const silent = now.getTime() - Date.parse(state.lastPingAt);
  return silent > limit
    ? {
        outcome: 'down',
        message: `no ping for ${ago(silent)} (expected every ${ago(periodMs)}, ${ago(graceMs)} grace)`,
      }
    : { outcome: 'up', message: `last ping ${ago(silent)} ago` };
}

/**
 * A scheduled job is late when the newest occurrence whose window has closed has no success at or after it.
 * Occurrences before `watchingSince` do not count: a job added today is not late for yesterday.
 */
export function jobVerdict(
  label: string,
  schedule: Schedule,
  windowMs: number,
  lastSuccessAt: Date | undefined,
  watchingSince: Date,
  now: Date,
): Verdict {
  const due = previousOccurrence(schedule, new Date(now.getTime() - windowMs));
  if (!due || due < watchingSince)
    return {
      outcome: 'up',
      message: lastSuccessAt ? `last succeeded ${lastSuccessAt.toISOString()}` : 'not due yet',
    };
  if (lastSuccessAt && lastSuccessAt >= due)
    return { outcome: 'up', message: `last succeeded ${lastSuccessAt.toISOString()}` };
  return {
    outcome: 'down',
    message: `${label} scheduled ${due.toISOString()} did not succeed within ${ago(windowMs)}${lastSuccessAt ? `; last success ${lastSuccessAt.toISOString()}` : '; never succeeded'}`,
  };
}

/**
 * A platform-managed backup is late when the newest one the platform reports (or a person confirmed) is older than
 * the newest scheduled time whose window has closed. `newestAt` undefined means none is known: late once one is due.
 */
export function managedVerdict(
  label: string,
  source: string,
  schedule: Schedule,
  windowMs: number,
  newestAt: Date | undefined,
  watchingSince: Date,
  now: Date,
): Verdict {
  const due = previousOccurrence(schedule, new Date(now.getTime() - windowMs));
  const newest = newestAt
    ? `newest backup ${newestAt.toISOString()} (${source})`
    : `no backup known (${source})`;
  if (!due || due < watchingSince || (newestAt && newestAt >= due)) return { outcome: 'up', message: newest };
  return {
    outcome: 'down',
    message: `${label}: ${newest}, none since the one due ${due.toISOString()} (window ${ago(windowMs)})`,
  };
}
