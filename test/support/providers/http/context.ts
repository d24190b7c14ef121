// Test helpers for platform providers: a ProviderContext whose sleep returns at once (recording what was asked).
import { createHash } from 'node:crypto';
import type { Provider, ProviderContext, ProviderDeploy } from '../../../../src/providers/types.js';
import { TERMINAL_STATES } from '../../../../src/providers/types.js';
import { createRedactor } from '../../../../src/redact/index.js';

export interface TestContext extends ProviderContext {
  /** Every progress note the provider wrote. */
  logs: string[];
  /** Every wait the provider asked for, in ms. */
  sleeps: number[];
}

export function createTestContext(
  env: Record<string, string>,
  signal = new AbortController().signal,
): TestContext {
  const logs: string[] = [];
  const sleeps: number[] = [];
  return {
    fetch: globalThis.fetch,
    env,
    signal,
    log: (message) => logs.push(message),
    now: () => Date.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
      signal.throwIfAborted();
      await new Promise((resolve) => setImmediate(resolve));
    },
    cwd: process.cwd(),
    redactor: createRedactor(),
    logs,
    sleeps,
  };
}

/** Polls `getDeploy` the way the core does until the deploy reaches a terminal state. */
export async function waitForTerminal(
  provider: Provider,
  id: string,
  ctx: ProviderContext,
  maxPolls = 50,
): Promise<ProviderDeploy[]> {
  const seen: ProviderDeploy[] = [];
  for (let poll = 0; poll < maxPolls; poll++) {
    const deploy = await provider.getDeploy(id, ctx);
    seen.push(deploy);
    if (TERMINAL_STATES.includes(deploy.state)) return seen;
    await ctx.sleep(5_000);
  }
  throw new Error(`deploy ${id} did not finish in ${maxPolls} polls`);
}

/** A stable full-length commit SHA for a release label, so a fake platform can say which label serves. */
export function commitFor(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/** Remembers which label each commit stands for. */
export function createLabels(): {
  commit(label: string): string;
  label(commit: string | undefined): string | undefined;
} {
  const labels = new Map<string, string>();
  return {
    commit(label) {
      const sha = commitFor(label);
      labels.set(sha, label);
      return sha;
    },
    label: (commit) => (commit ? labels.get(commit) : undefined),
  };
}
