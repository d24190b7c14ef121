/**
 * The in-process half of scheduling: claim checks a little ahead of their due time, hold them in a heap
 * under one timer, start each at its due time, and report the schedule lag (actual start − due). Due times
 * come from the store, so they never drift with check duration, and any number of instances can share them.
 *
 * How many checks run at once follows Little's law: enough in flight for twice the due rate at the measured
 * check duration (a fixed 200 capped a loaded machine at ~700 checks/s with a core idle), growing only while
 * the event loop has time to spare: when checks are slow because this process is short of CPU, more in flight
 * would only queue behind it and time out. Claims are
 * batched: after a claim that filled all the room, the next waits until a quarter of the room is free, so a
 * backlog is taken in a few large claims rather than one small claim per finished check.
 */
import { performance } from 'node:perf_hooks';
import type { ClaimedCheck } from '../store/index.js';
import { type Clock, type ClockTimer, systemClock } from '../timing/index.js';

export interface SchedulerOptions {
  /** Leases checks due up to `horizon` (epoch ms), at most `limit`. */
  claim(horizon: number, limit: number): Promise<ClaimedCheck[]>;
  /** Runs one check; `startedAt` is the clock's time at the start (epoch ms). */
  run(check: ClaimedCheck, startedAt: number): Promise<void>;
  signal: AbortSignal;
  /** Checks per second the monitors ask for: sizes how many run at once. */
  dueRate: number;
  /** Checks in flight at once: at least `min`, at most `max` (equal for a fixed limit). */
  concurrency: { min: number; max: number };
  /** How often to claim. */
  pollMs: number;
  /** Claim this far ahead of now, so a check is in the heap before it is due. */
  lookaheadMs: number;
  /** Claimed and waiting checks held at most: beyond that, other instances (or the next poll) take them. */
  maxPending: number;
  onError(error: unknown): void;
  clock?: Clock;
  /** Whether this process is short of CPU (more checks in flight would not finish sooner). Default: event loop busy > 90%. */
  saturated?: () => boolean;
}

export interface Scheduler {
  /** Checks claimed and not yet started (waiting for their time or for a slot). */
  readonly pending: number;
  readonly running: number;
  /** Checks allowed in flight now. */
  readonly concurrency: number;
  /** The due time of the oldest check that is due and has not started (waiting for a slot); undefined if none. */
  readonly waitingSince: number | undefined;
  /** Resolves once aborted and every running check has settled. */
  readonly done: Promise<void>;
}

/**
 * How far checks in flight may grow while the event loop is saturated and due checks wait for a slot: half a second
 * of the due rate. Frozen at its limit instead, an engine knocked behind by a burst (a /metrics scrape, a collection,
 * a neighbour taking the CPU) stayed behind: at 20,000 monitors @ 10 s it held 453 checks in flight, each slowed to
 * ~225 ms by the busy loop, which was just the due rate, so the backlog (checks a second late) never drained. The
 * bound keeps what the freeze is for: in a real shortage of CPU more in flight only queue, and by Little's law
 * half a second's worth adds at most about half a second to each check's latency, far within its timeout.
 */
const BUSY_GROWTH_MS = 500;

/** Weight of each finished check in the running mean of check duration. */
const DURATION_WEIGHT = 0.02;

export function startScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  const { min, max } = options.concurrency;
  const heap = createHeap();
  let running = 0;
  // Until checks have been timed, assume 100 ms each.
  let meanDurationMs = 100;
  const limitFor = (durationMs: number) =>
    Math.max(min, Math.min(max, Math.ceil(options.dueRate * (durationMs / 1_000) * 2)));
  let limit = limitFor(meanDurationMs);
  const saturated = options.saturated ?? eventLoopSaturated();
  let timer: ClockTimer | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let pollTimer: ClockTimer | undefined;
  let polling: Promise<void> | undefined;
  /** The last claim filled all the room: more is due, so claim again once there is room worth a claim. */
  let moreDue = false;
  const minClaim = Math.max(1, Math.floor(options.maxPending / 4));
  const room = () => options.maxPending - heap.size;
  let idle: () => void = () => {};
  const allSettled = new Promise<void>((resolve) => {
    idle = resolve;
  });
  const finishIfStopped = () => {
    if (options.signal.aborted && running === 0) idle();
  };
  // A claim still in flight at abort must land before the caller releases this instance's leases.
  const done = allSettled.then(() => polling);

  /** The due time of the oldest check that is due and not started, if any. */
  const waitingSince = () => {
    const first = heap.peek()?.dueAt;
    return first !== undefined && first <= clock.now() ? first : undefined;
  };

  // Short of CPU, checks may still grow to half a second's worth of due checks while some wait for a slot (see
  // BUSY_GROWTH_MS).
  const busyCap = Math.min(max, Math.max(min, Math.ceil((options.dueRate * BUSY_GROWTH_MS) / 1_000)));
  const finished = (durationMs: number) => {
    meanDurationMs += (durationMs - meanDurationMs) * DURATION_WEIGHT;
    const wanted = limitFor(meanDurationMs);
    if (wanted < limit || !saturated()) limit = wanted;
    // Every slot was taken (this check's among them) and a check is due: it waits for a slot.
    else if (limit < busyCap && running + 1 >= limit && waitingSince() !== undefined)
      limit = Math.min(wanted, busyCap);
  };

  /** Starts the checks that are due, oldest first, while there is a slot; then waits for the next one. */
  const schedule = () => {
    const at = clock.now();
    while (running < limit && !options.signal.aborted) {
      const check = heap.peek();
      if (!check || check.dueAt > at) break;
      heap.pop();
      // Its lease ran out while it waited for a slot: the monitor may be another instance's now, or ours again
      // with a fresh lease from the next claim. Running this copy as well would check the same slot twice (an
      // overloaded engine did: its own claims took back the checks waiting longest, and it fell further behind).
      if (check.leaseUntil <= at) continue;
      start(check);
    }
    arm(at);
  };

  const start = (check: ClaimedCheck) => {
    running++;
    const startedAt = clock.now();
    options
      .run(check, startedAt)
      .catch(options.onError)
      .finally(() => {
        running--;
        finished(clock.now() - startedAt);
        schedule();
        if (moreDue && !polling && room() >= minClaim) poll();
        finishIfStopped();
      });
  };

  const fire = () => {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    schedule();
  };

  /**
   * A timer for the first check not yet due at `at` (when `schedule` looked); one already due then is waiting for a
   * slot, and starts when a running check finishes.
   */
  const arm = (at: number) => {
    const next = heap.peek();
    if (!next || options.signal.aborted || next.dueAt <= at || next.dueAt >= timerAt) return;
    clock.clearTimeout(timer);
    timerAt = next.dueAt;
    timer = clock.setTimeout(fire, Math.max(0, next.dueAt - clock.now()));
  };

  const poll = () => {
    clock.clearTimeout(pollTimer);
    pollTimer = undefined;
    if (options.signal.aborted) return;
    polling = claimOnce().then(() => {
      polling = undefined;
      if (options.signal.aborted) return;
      if (moreDue && room() >= minClaim) poll();
      else pollTimer = clock.setTimeout(poll, options.pollMs);
    });
  };

  const claimOnce = async (): Promise<void> => {
    try {
      const space = room();
      moreDue = false;
      if (space <= 0) return;
      const claimed = await options.claim(clock.now() + options.lookaheadMs, space);
      for (const check of claimed) heap.push(check);
      moreDue = claimed.length >= space;
      schedule();
    } catch (error) {
      options.onError(error);
    }
  };

  options.signal.addEventListener(
    'abort',
    () => {
      clock.clearTimeout(timer);
      clock.clearTimeout(pollTimer);
      heap.clear();
      finishIfStopped();
    },
    { once: true },
  );
  if (options.signal.aborted) idle();
  else poll();

  return {
    get pending() {
      return heap.size;
    },
    get running() {
      return running;
    },
    get concurrency() {
      return limit;
    },
    get waitingSince() {
      return waitingSince();
    },
    done,
  };
}

/** True when the event loop was busy more than 90% of the last second (sampled at most once a second). */
function eventLoopSaturated(): () => boolean {
  let last = performance.eventLoopUtilization();
  let lastAt = performance.now();
  let busy = false;
  return () => {
    const at = performance.now();
    if (at - lastAt < 1_000) return busy;
    const now = performance.eventLoopUtilization();
    busy = performance.eventLoopUtilization(now, last).utilization > 0.9;
    last = now;
    lastAt = at;
    return busy;
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
