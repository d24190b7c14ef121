/**
 * Which components are under maintenance: those a running deploy touches while it holds the environment
 * lock (when `deploy.maintenancePage` is on), those of an open maintenance window (scheduled or
 * `opsbook maintenance window start`), and those named by the maintenance flag in the store.
 */
import { lockName, readState, runIdOfHolder } from '../deploy/index.js';
import { activeWindows } from '../maintenance-windows/index.js';
import { nowOf, type ServerContext } from './context.js';

/** The store cache key of the flag: `true` for every component, or `{ services: [...] }`. */
export const maintenanceFlagKey = (environment: string) => `status-page:maintenance:${environment}`;

export interface Maintenance {
  /** Services under maintenance; 'all' for every component. */
  services: Set<string> | 'all';
}

export async function readMaintenance(ctx: ServerContext): Promise<Maintenance> {
  const found = new Set<string>();
  const flag = await ctx.store.getCache(maintenanceFlagKey(ctx.environment));
  if (flag === true) return { services: 'all' };
  if (flag && typeof flag === 'object' && !Array.isArray(flag) && Array.isArray(flag.services))
    for (const s of flag.services) if (typeof s === 'string') found.add(s);
  const windows = await activeWindows(
    { config: ctx.config, store: ctx.store, now: () => new Date(nowOf(ctx)) },
    ctx.environment,
  );
  for (const w of windows) for (const s of w.services) found.add(s);

  if (ctx.config.deploy.maintenancePage) {
    const lock = await ctx.store.getLock(lockName(ctx.environment));
    const run = lock ? await ctx.store.getRun(runIdOfHolder(lock.holder)) : undefined;
    // A lock kept after a rollback (run finished) is not maintenance: the health shows what is wrong.
    if (run && run.status === 'running' && (run.kind === 'deploy' || run.kind === 'rollback')) {
      const plan = readState(run)?.plan;
      if (!plan) return { services: 'all' };
      for (const s of plan.groups.flat()) found.add(s);
    }
  }
  return { services: found };
}

export const isUnderMaintenance = (m: Maintenance, service: string): boolean =>
  m.services === 'all' || m.services.has(service);
