/**
 * Runs scheduled jobs inside `opsbook serve`. Each occurrence is claimed with a store lock named after the job and
 * the occurrence (`job:<name>:<time>`), so of any number of instances exactly one runs it, and a restart does not run
 * it again. A job that fails or never runs is caught by its dead-man's switch, not here.
 */

import { previousOccurrence, type Schedule } from '../schedule/index.js';
import type { Store } from '../store/index.js';
import { type Clock, pause, systemClock } from '../timing/index.js';

export interface ScheduledJob {
  /** Unique and stable, e.g. `backup:nightly`. */
  name: string;
  schedule: Schedule;
  run(signal: AbortSignal): Promise<void>;
}

export interface JobRunnerOptions {
  store: Store;
  jobs: readonly ScheduledJob[];
  /** This instance, as lock holder. */
  holder: string;
  signal: AbortSignal;
  /** When to look for due jobs, and the time; default the system clock. */
  clock?: Clock;
  /** Epoch ms; default the clock's. */
  now?: () => number;
  /** Occurrences before this (epoch ms) are not run: default 15 minutes before the runner started. */
  since?: number;
  /** How often due jobs are looked for. Default 15 s. */
  tickMs?: number;
  log?: (level: 'warn' | 'error', message: string) => void;
  /** Called when this instance claimed an occurrence (tests, logs). */
  onRun?: (job: string, occurrence: Date) => void;
}

export interface JobRunner {
  /** Looks for due jobs once; resolves when the ones it started have finished. */
  tick(): Promise<void>;
  /** Resolves once stopped (the signal aborted) and running jobs have finished. */
  stopped: Promise<void>;
}

const CLAIM_TTL_MS = 35 * 86400e3;

export function startJobRunner(options: JobRunnerOptions): JobRunner {
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => clock.now());
  const since = options.since ?? now() - 15 * 60e3;
  const log = options.log ?? (() => {});
  const seen = new Set<string>();
  const running = new Set<Promise<void>>();

  async function runOnce(job: ScheduledJob, at: Date): Promise<void> {
    const claim = `job:${job.name}:${at.toISOString()}`;
    if (seen.has(claim)) return;
    seen.add(claim);
    const got = await options.store.acquireLock(claim, {
      holder: options.holder,
      ttlMs: CLAIM_TTL_MS,
      reason: `scheduled ${job.name}`,
    });
    if (!got.acquired) return;
    options.onRun?.(job.name, at);
    try {
      await job.run(options.signal);
    } catch (error) {
      log('error', `scheduled ${job.name} (${at.toISOString()}): ${(error as Error).message}`);
    }
  }

  async function tick(): Promise<void> {
    const t = new Date(now());
    const started: Promise<void>[] = [];
    for (const job of options.jobs) {
      const at = previousOccurrence(job.schedule, t);
      if (!at || at.getTime() < since) continue;
      const p = runOnce(job, at).catch((error: Error) =>
        log('error', `scheduling ${job.name}: ${error.message}`),
      );
      running.add(p);
      void p.finally(() => running.delete(p));
      started.push(p);
    }
    await Promise.all(started);
  }

  const stopped = (async () => {
    const tickMs = options.tickMs ?? 15_000;
    while (!options.signal.aborted) {
      // Ticks do not wait for long jobs: a backup taking an hour must not delay a drill due meanwhile.
      void tick();
      await pause(clock, tickMs, options.signal).done;
    }
    await Promise.all([...running]);
  })();
  return { tick, stopped };
}
