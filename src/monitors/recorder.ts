/**
 * Write-behind for check results: completions (each with its sample) are buffered and written in one
 * transaction every `flushMs`, or sooner when `maxBatch` accumulate, since one transaction per check would
 * cap throughput at the database's commit rate (and SQLite commits block the event loop). `onRecorded`
 * runs after the batch is committed, so a listener that queries the store sees the samples it is told of.
 */
import type { CheckCompletion, MonitoringStore, NewSample } from '../store/index.js';
import { type Clock, every, systemClock } from '../timing/index.js';

export interface RecorderOptions {
  store: MonitoringStore;
  owner: string;
  clock?: Clock;
  flushMs: number;
  maxBatch: number;
  /** After a batch is committed: its completions, and their samples. */
  onRecorded(completions: CheckCompletion[], samples: NewSample[]): void;
  /** Completions given up on: the store stayed unwritable until the buffer overflowed. */
  onDropped(completions: CheckCompletion[]): void;
  onError(error: unknown): void;
}

export interface Recorder {
  add(completion: CheckCompletion): void;
  readonly pending: number;
  /** Writes what is buffered now (after a flush already running). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

/** Past this, a database that stays down costs the oldest results rather than all the memory. */
const MAX_BUFFERED = 100_000;

export function createRecorder(options: RecorderOptions): Recorder {
  let buffer: CheckCompletion[] = [];
  let flushing: Promise<void> | undefined;
  const stopTimer = every(options.clock ?? systemClock, options.flushMs, () => void flush());

  const writeOnce = async () => {
    if (!buffer.length) return;
    const batch = buffer;
    buffer = [];
    try {
      await options.store.completeChecks(options.owner, batch);
    } catch (error) {
      options.onError(error);
      // The transaction rolled back as a whole: the batch is written again with the next flush.
      const kept = [...batch, ...buffer];
      const over = kept.length - MAX_BUFFERED;
      if (over > 0) options.onDropped(kept.slice(0, over));
      buffer = over > 0 ? kept.slice(over) : kept;
      return;
    }
    options.onRecorded(
      batch,
      batch.flatMap((c) => (c.sample ? [c.sample] : [])),
    );
  };

  const flush = (): Promise<void> => {
    if (flushing) return flushing.then(flush);
    flushing = writeOnce().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  return {
    add(completion) {
      buffer.push(completion);
      if (buffer.length >= options.maxBatch && !flushing) void flush();
    },
    get pending() {
      return buffer.length;
    },
    flush,
    async close() {
      stopTimer();
      await flush();
    },
  };
}
