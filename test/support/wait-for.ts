// Waiting for a condition instead of sleeping a fixed time: returns as soon as it holds, fails after a deadline
// generous enough for a loaded CI machine.
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor(
  what: string,
  holds: () => boolean | Promise<boolean>,
  { timeoutMs = 30_000, pollMs = 5 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** Polls until `probe` gives a value (a probe that throws counts as "not yet"): for servers and processes on their own clocks. */
export async function waitForValue<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 60_000, pollMs = 100 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}
