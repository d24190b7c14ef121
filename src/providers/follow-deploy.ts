/** Polls a deploy until the platform gives a verdict, for callers that need no log reading on the way. */
import { type Provider, type ProviderContext, type ProviderDeploy, TERMINAL_STATES } from './types.js';

export interface FollowDeployOptions {
  intervalMs?: number;
  /** Give up after this long and return the last (non-terminal) state seen. */
  timeoutMs?: number;
  onUpdate?: (deploy: ProviderDeploy) => void;
}

/** Resolves with the deploy in a terminal state (or its last state on timeout); rejects when ctx.signal aborts. */
export async function followDeploy(
  provider: Provider,
  id: string,
  ctx: ProviderContext,
  options: FollowDeployOptions = {},
): Promise<ProviderDeploy> {
  const deadline = ctx.now() + (options.timeoutMs ?? 10 * 60_000);
  let last: ProviderDeploy | undefined;
  for (;;) {
    ctx.signal.throwIfAborted();
    const deploy = await provider.getDeploy(id, ctx);
    if (deploy.state !== last?.state) options.onUpdate?.(deploy);
    last = deploy;
    if (TERMINAL_STATES.includes(deploy.state) || ctx.now() >= deadline) return deploy;
    await ctx.sleep(options.intervalMs ?? 1000);
  }
}
