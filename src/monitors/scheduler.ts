/**
 * The in-process half of scheduling: claim checks a little ahead of their due time, hold them in a heap
 * under one timer, start each at its due time with at most `concurrency` in flight, and report the
 * schedule lag (actual start − due). Due times come from the store, so they never drift with check
 * duration, and any number of instances can share them.
 */
import type { ClaimedCheck } from '../store/index.js';

export interface SchedulerOptions {
  /** Leases checks due up to `horizon` (epoch ms), at most `limit`. */
  claim(horizon: number, limit: number): Promise<ClaimedCheck[]>;
  /** Runs one check; `startedAt` is the wall-clock start (epoch ms). */
  run(check: ClaimedCheck, startedAt: number): Promise<void>;
  signal: AbortSignal;
  /** Checks in flight at once. */
  concurrency: number;
  /** How often to claim. */
  pollMs: number;
  /** Claim this far ahead of now, so a check is in the heap before it is due. */
  lookaheadMs: number;
  /** Claimed and waiting checks held at most: beyond that, other instances (or the next poll) take them. */
  maxPending: number;
  onError(error: unknown): void;
  now?: () => number;
}

export interface Scheduler {
  /** Checks claimed and not yet started (waiting for their time or for a slot). */
  readonly pending: number;
  readonly running: number;
  /** Resolves once aborted and every running check has settled. */
  readonly done: Promise<void>;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  const heap = createHeap();
  const ready: ClaimedCheck[] = [];
  let running = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let pollTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let idle: () => void = () => {};
  const allSettled = new Promise<void>((resolve) => {
    idle = resolve;
  });
  const finishIfStopped = () => {
    if (options.signal.aborted && running === 0) idle();
  };
  // A claim still in flight at abort must land before the caller releases this instance's leases.
  const done = allSettled.then(() => polling);

  const dispatch = () => {
    while (running < options.concurrency && ready.length && !options.signal.aborted) {
      const check = ready.shift() as ClaimedCheck;
      running++;
      options
        .run(check, now())
        .catch(options.onError)
        .finally(() => {
          running--;
          dispatch();
          finishIfStopped();
        });
    }
  };

  const fire = () => {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    const at = now();
    for (let next = heap.peek(); next && next.dueAt <= at; next = heap.peek()) ready.push(heap.pop()!);
    dispatch();
    arm();
  };

  const arm = () => {
    const next = heap.peek();
    if (!next || options.signal.aborted || next.dueAt >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = next.dueAt;
    timer = setTimeout(fire, Math.max(0, next.dueAt - now()));
  };

  const poll = () => {
    pollTimer = undefined;
    if (options.signal.aborted) return;
    polling = claimOnce().then((full) => {
      polling = undefined;
      // A claim that filled all the room left more due: claim again at once rather than a poll later.
      if (!options.signal.aborted) pollTimer = setTimeout(poll, full ? 0 : options.pollMs);
    });
  };

  /** True when the store had at least as many due checks as there was room for. */
  const claimOnce = async (): Promise<boolean> => {
    try {
      const room = options.maxPending - heap.size - ready.length;
      if (room <= 0) return false;
      const claimed = await options.claim(now() + options.lookaheadMs, room);
      for (const check of claimed) heap.push(check);
      arm();
      return claimed.length >= room;
    } catch (error) {
      options.onError(error);
      return false;
    }
  };

  options.signal.addEventListener(
    'abort',
    () => {
      if (timer) clearTimeout(timer);
      if (pollTimer) clearTimeout(pollTimer);
      ready.length = 0;
      heap.clear();
      finishIfStopped();
    },
    { once: true },
  );
  if (options.signal.aborted) idle();
  else poll();

  return {
    get pending() {
      return heap.size + ready.length;
    },
    get running() {
      return running;
    },
    done,
  };
}

/** A binary min-heap on due time: thousands of claimed checks under one timer. */
function createHeap() {
  let items: ClaimedCheck[] = [];
  const less = (i: number, j: number) => (items[i] as ClaimedCheck).dueAt < (items[j] as ClaimedCheck).dueAt;
  const swap = (i: number, j: number) => {
    [items[i], items[j]] = [items[j] as ClaimedCheck, items[i] as ClaimedCheck];
  };
  return {
    get size() {
      return items.length;
    },
    peek: (): ClaimedCheck | undefined => items[0],
    push(item: ClaimedCheck) {
      items.push(item);
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!less(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    },
    pop(): ClaimedCheck | undefined {
      const top = items[0];
      const last = items.pop();
      if (items.length && last) {
        items[0] = last;
        for (let i = 0; ; ) {
          const [l, r] = [2 * i + 1, 2 * i + 2];
          let smallest = i;
          if (l < items.length && less(l, smallest)) smallest = l;
          if (r < items.length && less(r, smallest)) smallest = r;
          if (smallest === i) break;
          swap(i, smallest);
          i = smallest;
        }
      }
      return top;
    },
    clear() {
      items = [];
    },
  };
}
