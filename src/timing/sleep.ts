/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (as fetch does), so a caller sees its own reason. */
import { setTimeout as wait } from 'node:timers/promises';

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return wait(ms);
  try {
    await wait(ms, undefined, { signal });
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  }
}
