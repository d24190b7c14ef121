/**
 * The unlock use-case: releases an environment's lock by hand, records who did, marks the holder's run interrupted
 * and switches back on the platform auto-deploy that run had switched off.
 */
import { currentActor } from '../actor/index.js';
import { resolveEnvironment, type StackConfig } from '../config/index.js';
import { autoDeployTurnedOff, describeLock, lockName, runIdOfHolder } from '../deploy/index.js';
import { UserError } from '../errors.js';
import { createProviderContext } from '../providers/context.js';
import { createProvider } from '../providers/index.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configOf, type Resolved, resolveOptions, withStore } from './context.js';

export interface UnlockOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Release the lock of a run that is still running (its process is known to be gone). */
  force?: boolean;
  store?: Store;
  actor?: string;
  now?: () => Date;
}

export interface UnlockResult {
  environment: string;
  released: boolean;
  holder: string | null;
  reason: string | null;
  /** The run that held it, marked interrupted when its process was gone. */
  run: { id: string; status: string } | null;
  /** Services whose platform auto-deploy was switched back on. */
  autoDeployOn: string[];
  /** Services where switching it back on failed (the lock is released all the same). */
  autoDeployFailed: string[];
}

export async function unlock(options: UnlockOptions): Promise<UnlockResult> {
  const base = resolveOptions(options);
  const environment = options.environment ?? 'production';
  // The lock can be released without a valid config: it is what a broken deploy leaves behind.
  const config = () => configOf(options, base).catch(() => undefined);
  return withStore(options.store, base, async (store) => {
    const held = await describeLock(store, environment);
    if (!held) {
      // "prod is not locked" must not reassure anyone while production is: an undeclared name is a mistake.
      const loaded = await config();
      if (loaded) resolveEnvironment(loaded, environment);
      const none = { holder: null, reason: null, run: null, autoDeployOn: [], autoDeployFailed: [] };
      return { environment, released: false, ...none };
    }
    const holderRun = await store.getRun(runIdOfHolder(held.lock.holder));
    if (holderRun?.status === 'running' && !held.dead && !options.force)
      throw new UserError(
        `${environment} is locked by a deploy that is still running (${held.lock.holder})`,
        'wait for it, or pass --force if you know its process is gone',
      );
    await store.forceReleaseLock(lockName(environment));
    // Recorded as a run of its own, so the log and an incident's timeline show who forced the lock open.
    const now = (options.now?.() ?? new Date()).toISOString();
    const unlockRun = await store.createRun({
      kind: 'unlock',
      environment,
      status: 'succeeded',
      actor: options.actor ?? currentActor(base.cwd, base.env),
      startedAt: now,
      summary: { holder: held.lock.holder, reason: held.lock.reason, run: holderRun?.id ?? null },
    });
    await store.updateRun(unlockRun.id, { finishedAt: now });
    let run: UnlockResult['run'] = null;
    if (holderRun) {
      if (holderRun.status === 'running') await store.updateRun(holderRun.id, { status: 'interrupted' });
      run = { id: holderRun.id, status: holderRun.status === 'running' ? 'interrupted' : holderRun.status };
      await store.appendEvent(holderRun.id, {
        level: 'info',
        type: 'lock.released',
        message: `${environment} unlocked by hand`,
      });
    }
    const switchedOff = holderRun ? await autoDeployTurnedOff(store, holderRun) : [];
    const autoDeploy = switchedOff.length
      ? await restoreAutoDeploy(base, await config(), environment, switchedOff)
      : { on: [], failed: [] };
    return {
      environment,
      released: true,
      holder: held.lock.holder,
      reason: held.lock.reason,
      run,
      autoDeployOn: autoDeploy.on,
      autoDeployFailed: autoDeploy.failed,
    };
  });
}

/**
 * Auto-deploy goes back on only for the services the lock's run switched off, and only where the environment
 * deploys on push. A platform that refuses is a warning: the lock is released either way.
 */
async function restoreAutoDeploy(
  base: Resolved,
  config: StackConfig | undefined,
  environment: string,
  switchedOff: string[],
): Promise<{ on: string[]; failed: string[] }> {
  const done = { on: [] as string[], failed: [] as string[] };
  if (!config) return done;
  if (!(config.environments[environment]?.autoDeploy ?? config.deploy.trigger === 'push')) return done;
  const ctx = createProviderContext(base);
  for (const service of resolveEnvironment(config, environment)) {
    if (!switchedOff.includes(service.name) || !service.provider || service.provider.type === 'none')
      continue;
    const provider = createProvider(service, { cwd: base.cwd, env: base.env });
    if (!provider.setAutoDeploy) continue;
    try {
      await provider.setAutoDeploy(true, ctx);
      done.on.push(service.name);
    } catch (error) {
      done.failed.push(`${service.name}: ${(error as Error).message}`);
    }
  }
  return done;
}
