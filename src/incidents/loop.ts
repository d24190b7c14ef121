/** Runs the incident engine in `opsbook serve`: a pass every `intervalMs` and when poked, then delivers the outbox. */

import type { Channel } from '../config/index.js';
import { type ChannelContext, type DeliverOutboxOptions, deliverOutbox } from '../notify/index.js';
import { type Clock, pause, systemClock } from '../timing/index.js';
import { type IncidentEngineOptions, releaseIncidentLock, runIncidentTick } from './engine.js';
import { obsoletePage } from './undelivered.js';

export interface IncidentLoopOptions extends IncidentEngineOptions {
  channels: Record<string, Channel>;
  ctx: ChannelContext;
  /** Default 5 s. */
  intervalMs?: number;
  /** The time and when the next pass is due; default the system clock (`now`, when given, tells the time). */
  clock?: Clock;
  /** After each pass that went through (tests count passes instead of waiting a time). */
  onPass?: () => void;
  /** A notification could not be sent (see DeliverOutboxOptions.onFailure): pages go out here first. */
  onDeliveryFailure?: DeliverOutboxOptions['onFailure'];
  onError?: (error: unknown) => void;
}

export interface IncidentLoop {
  poke(): void;
  readonly stopped: Promise<void>;
}

export function startIncidentLoop(options: IncidentLoopOptions): IncidentLoop {
  const clock = options.clock ?? systemClock;
  const o = { ...options, now: options.now ?? (() => clock.now()) };
  const signal = o.ctx.signal;
  let wake: (() => void) | undefined;
  let poked = false;
  const cycle = async () => {
    await runIncidentTick(o);
    await deliverOutbox({
      outbox: o.store.alerting,
      channels: o.channels,
      ctx: o.ctx,
      holder: o.holder,
      now: o.now,
      ...(o.onDeliveryFailure ? { onFailure: o.onDeliveryFailure } : {}),
      obsolete: obsoletePage(o.store.incidents),
    });
    o.onPass?.();
  };
  const stopped = (async () => {
    while (!signal.aborted) {
      poked = false;
      await cycle().catch((error: unknown) => o.onError?.(error));
      if (poked || signal.aborted) continue;
      const wait = pause(clock, o.intervalMs ?? 5_000, signal);
      wake = wait.wake;
      await wait.done;
      wake = undefined;
    }
    await releaseIncidentLock(o).catch((error: unknown) => o.onError?.(error));
  })();
  return {
    poke() {
      poked = true;
      wake?.();
    },
    stopped,
  };
}
