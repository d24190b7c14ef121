// The job runner's own loop on a test clock: it looks for due jobs every tickMs of that clock, runs each occurrence
// once, and stops without leaving a timer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/clock.js';
import { waitFor } from '../../test/support/wait-for.js';
import { parseSchedule } from '../schedule/index.js';
import { openStore, type Store } from '../store/index.js';
import { startJobRunner } from './index.js';

let cwd: string;
let store: Store;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-jobs-'));
  store = await openStore({ cwd, env: {} });
});
afterEach(async () => {
  await store.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('the job runner loop', () => {
  it('runs a job at the first tick at or after its time on the clock, once, and again at the next occurrence', async () => {
    const clock = manualClock(Date.parse('2026-12-04T01:59:30Z'));
    const runs: string[] = [];
    const stop = new AbortController();
    const runner = startJobRunner({
      store,
      jobs: [
        {
          name: 'report:five-minutes',
          schedule: parseSchedule('*/5 * * * *'),
          async run() {
            runs.push(new Date(clock.now()).toISOString());
          },
        },
      ],
      holder: 'test',
      signal: stop.signal,
      clock,
      since: clock.now(),
      tickMs: 15_000,
    });
    // Ticks at 01:59:30 (the 01:55 occurrence is before `since`), :45 and 02:00:00 (due), then every 15 s.
    await clock.advance(15_000);
    expect(runs).toEqual([]);
    await clock.advance(15_000);
    await waitFor('the 02:00 run', () => runs.length === 1);
    expect(runs).toEqual(['2026-12-04T02:00:00.000Z']);
    // Twenty ticks later: the next occurrence, and only that one.
    await clock.advance(5 * 60_000);
    await waitFor('the 02:05 run', () => runs.length >= 2);
    expect(runs).toEqual(['2026-12-04T02:00:00.000Z', '2026-12-04T02:05:00.000Z']);
    stop.abort();
    await runner.stopped;
    expect(clock.pending()).toBe(0);
  });
});
