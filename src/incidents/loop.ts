/** Runs the incident engine in `opsbook serve`: a pass every `intervalMs` and when poked, then delivers the outbox. */
import type { Channel } from '../config/index.js';
import { type ChannelContext, deliverOutbox } from '../notify/index.js';
import { type IncidentEngineOptions, releaseIncidentLock, runIncidentTick } from './engine.js';

export interface IncidentLoopOptions extends IncidentEngineOptions {
  channels: Record<string, Channel>;
  ctx: ChannelContext;
  /** Default 5 s. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface IncidentLoop {
  poke(): void;
  readonly stopped: Promise<void>;
}

export function startIncidentLoop(o: IncidentLoopOptions): IncidentLoop {
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
      now: o.now ?? Date.now,
    });
  };
  const stopped = (async () => {
    while (!signal.aborted) {
      poked = false;
      await cycle().catch((error: unknown) => o.onError?.(error));
      if (poked || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, o.intervalMs ?? 5_000);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        }
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
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
