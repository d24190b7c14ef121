// Reads a deploy state out of a status command's free text: `railway status`, `vercel inspect`, a curl of an API.
import type { DeployState } from '../types.js';

const WORDS: Record<string, DeployState> = {
  queued: 'queued',
  pending: 'queued',
  waiting: 'queued',
  created: 'queued',
  initializing: 'building',
  building: 'building',
  build_in_progress: 'building',
  deploying: 'deploying',
  in_progress: 'deploying',
  update_in_progress: 'deploying',
  rolling: 'deploying',
  live: 'live',
  ready: 'live',
  success: 'live',
  succeeded: 'live',
  deployed: 'live',
  active: 'live',
  healthy: 'live',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  crashed: 'failed',
  build_failed: 'failed',
  update_failed: 'failed',
  unhealthy: 'failed',
  canceled: 'canceled',
  cancelled: 'canceled',
  skipped: 'canceled',
  superseded: 'superseded',
  deactivated: 'superseded',
  removed: 'superseded',
};

/** The first known state word of the last line that has one (status commands print the verdict last). */
export function parseStateWord(output: string): DeployState | undefined {
  const lines = output.toLowerCase().split('\n').reverse();
  for (const line of lines) {
    for (const word of line.split(/[^a-z_]+/)) {
      const state = WORDS[word];
      if (state) return state;
    }
  }
  return undefined;
}
