/** Splitting a time window into the coarsest whole buckets that fit, with raw samples for the ragged edges. */
import { RESOLUTION_MS, type Resolution } from './monitoring-types.js';

export interface WindowSegment {
  source: Resolution | 'raw';
  /** Epoch ms, half-open [from, to). */
  from: number;
  to: number;
}

const COARSE_TO_FINE: Resolution[] = ['day', 'hour', 'minute'];

/**
 * [from, to) as whole days in the middle, whole hours and minutes towards the edges, and raw samples for
 * what is left (under a minute at each end). Reading a few rows per resolution answers any window exactly.
 */
export function splitWindow(
  from: number,
  to: number,
  levels: Resolution[] = COARSE_TO_FINE,
): WindowSegment[] {
  if (to <= from) return [];
  const [level, ...finer] = levels;
  if (!level) return [{ source: 'raw', from, to }];
  const size = RESOLUTION_MS[level];
  const start = Math.ceil(from / size) * size;
  const end = Math.floor(to / size) * size;
  if (start >= end) return splitWindow(from, to, finer);
  return [
    ...splitWindow(from, start, finer),
    { source: level, from: start, to: end },
    ...splitWindow(end, to, finer),
  ];
}
