/** announcements.leadTime: production changes no sooner than the lead time after the start announcement. */
import { formatElapsed } from '../timing/index.js';
import type { DeployProgress } from './context.js';
import type { DeployState } from './journal.js';
import type { DeployPlan } from './plan.js';

export interface LeadTimeContext {
  state: DeployState;
  plan: DeployPlan;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  external: <T>(work: () => Promise<T>) => Promise<T>;
  progress: (p: DeployProgress) => void;
}

/**
 * Waits what is left of the lead time before the first change (migrations, then deploys). Gates run during
 * it; a resumed run waits only the rest, counted from when the announcement went out.
 */
export async function waitLeadTime(ctx: LeadTimeContext): Promise<void> {
  const lead = ctx.plan.announce?.leadTimeMs ?? 0;
  if (lead <= 0 || !ctx.state.times.announcedAt) return;
  const rest = Date.parse(ctx.state.times.announcedAt) + lead - ctx.now();
  if (rest <= 0) return;
  ctx.progress({
    type: 'phase',
    phase: 'announce',
    message: `waiting ${formatElapsed(rest)}: production changes ${formatElapsed(lead)} after the start announcement (announcements.leadTime)`,
  });
  await ctx.external(() => ctx.sleep(rest));
}
