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
