import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../test/support/manual-clock.js';
import type { CheckCompletion, MonitoringStore } from '../store/index.js';
import { createRecorder } from './recorder.js';

const completions = (from: number, count: number): CheckCompletion[] =>
  Array.from({ length: count }, (_, i) => ({ monitorId: `m${from + i}`, nextDueAt: 1_000 }));

describe('createRecorder', () => {
  it('keeps a failed batch for the next flush, and says which results it gives up on when the buffer overflows', async () => {
    let failing = true;
    const written: string[] = [];
    const store = {
      completeChecks: async (_owner: string, batch: CheckCompletion[]) => {
        if (failing) throw new Error('the database is down');
        written.push(...batch.map((c) => c.monitorId));
        return batch.length;
      },
    } as unknown as MonitoringStore;
    const recorded: string[] = [];
    const dropped: string[] = [];
    const errors: unknown[] = [];
    const recorder = createRecorder({
      store,
      owner: 'me',
      clock: createManualClock(),
      flushMs: 1_000,
      maxBatch: 1_000_000,
      onRecorded: (batch) => recorded.push(...batch.map((c) => c.monitorId)),
      onDropped: (batch) => dropped.push(...batch.map((c) => c.monitorId)),
      onError: (error) => errors.push(error),
    });
    for (const c of completions(0, 60_000)) recorder.add(c);
    await recorder.flush();
    expect(recorder.pending).toBe(60_000);
    expect(dropped).toEqual([]);
    // 120,000 buffered: past the 100,000 kept, the oldest 20,000 are given up on, and said so.
    for (const c of completions(60_000, 60_000)) recorder.add(c);
    await recorder.flush();
    expect(recorder.pending).toBe(100_000);
    expect(dropped).toHaveLength(20_000);
    expect([dropped[0], dropped.at(-1)]).toEqual(['m0', 'm19999']);
    failing = false;
    await recorder.close();
    expect(written).toHaveLength(100_000);
    expect(written[0]).toBe('m20000');
    expect(recorded).toEqual(written);
    expect(errors).toHaveLength(2);
  });
});
