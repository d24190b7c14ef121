/**
 * Runs alerting in a process (`opsbook serve`): evaluates every `intervalMs` and whenever `poke()` says
 * new samples arrived (coalesced, never two evaluations at once), then delivers the outbox.
 */

import type { Channel } from '../config/index.js';
import {
  type ChannelContext,
  type DeliverOutboxOptions,
  type DeliveryReport,
  deliverOutbox,
} from '../notify/index.js';
import { type Clock, pause, systemClock } from '../timing/index.js';
import {
  type AlertRunner,
  type AlertRunnerOptions,
  createAlertRunner,
  type EvaluationSummary,
} from './runner.js';

export interface AlertLoopOptions extends AlertRunnerOptions {
  channels: Record<string, Channel>;
  /** Channels send through this; its signal stops the loop. */
  ctx: ChannelContext;
  /** Default 15 s. */
  intervalMs?: number;
  /** The time and when the next round is due; default the system clock (`now`, when given, tells the time). */
  clock?: Clock;
  onEvaluated?: (summary: EvaluationSummary, delivery: DeliveryReport) => void;
  /** A notification could not be sent (see DeliverOutboxOptions.onFailure). */
  onDeliveryFailure?: DeliverOutboxOptions['onFailure'];
  /** Rows no longer worth sending (see DeliverOutboxOptions.obsolete): this loop delivers incident pages too. */
  obsolete?: DeliverOutboxOptions['obsolete'];
  onError?: (error: unknown) => void;
}

export interface AlertLoop {
  readonly runner: AlertRunner;
  /** New samples are in: evaluate soon. */
  poke(): void;
  /** Resolves once the loop has stopped (after the signal aborts) and released its lock. */
  readonly stopped: Promise<void>;
}

export function startAlertLoop(options: AlertLoopOptions): AlertLoop {
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => clock.now());
  const runner = createAlertRunner({ ...options, now });
  const signal = options.ctx.signal;
  let wake: (() => void) | undefined;
  let poked = false;

  const cycle = async () => {
    const summary = await runner.evaluate();
    const delivery = await deliverOutbox({
      outbox: options.store.alerting,
      channels: options.channels,
      ctx: options.ctx,
      holder: options.holder ?? `alerts:${process.pid}`,
      now,
      ...(options.onDeliveryFailure ? { onFailure: options.onDeliveryFailure } : {}),
      ...(options.obsolete ? { obsolete: options.obsolete } : {}),
    });
    options.onEvaluated?.(summary, delivery);
  };

  const stopped = (async () => {
    while (!signal.aborted) {
      poked = false;
      await cycle().catch((error: unknown) => options.onError?.(error));
      if (poked || signal.aborted) continue;
      const wait = pause(clock, options.intervalMs ?? 15_000, signal);
      wake = wait.wake;
      await wait.done;
      wake = undefined;
    }
    await runner.close().catch((error: unknown) => options.onError?.(error));
  })();

  return {
    runner,
    poke() {
      poked = true;
      wake?.();
    },
    stopped,
  };
}
