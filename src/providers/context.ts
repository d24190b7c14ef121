/** Builds a ProviderContext from what a caller has, filling in the real I/O for whatever it leaves out. */
import { createRedactor } from '../redact/index.js';
import { sleep } from '../timing/index.js';
import type { ProviderContext } from './types.js';

export function createProviderContext(options: Partial<ProviderContext> & { cwd: string }): ProviderContext {
  const signal = options.signal ?? new AbortController().signal;
  return {
    fetch: options.fetch ?? globalThis.fetch,
    env: options.env ?? process.env,
    signal,
    log: options.log ?? (() => {}),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => sleep(ms, signal)),
    cwd: options.cwd,
    redactor: options.redactor ?? createRedactor(),
  };
}
