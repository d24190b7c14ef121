import { currentActor } from '../actor/index.js';
import { resolveEnvironment } from '../config/index.js';
import { autoDeployTurnedOff, describeLock, lockName, runIdOfHolder } from '../deploy/index.js';
import { UserError } from '../errors.js';
import { createProviderContext } from '../providers/context.js';
import { createProvider } from '../providers/index.js';
import { openStore } from '../store/index.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler, CommandInput } from './types.js';

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

/**
 * Auto-deploy goes back on only for the services the lock's run switched off, and only where the environment
 * deploys on push. A platform that refuses is a warning: the lock is released either way.
 */
async function restoreAutoDeploy(
  input: CommandInput,
  environment: string,
  switchedOff: string[],
): Promise<{ on: string[]; failed: string[] }> {
  const done = { on: [] as string[], failed: [] as string[] };
  if (!switchedOff.length) return done;
  const loaded = await configFor(input).catch(() => undefined);
  if (!loaded || loaded.failure) return done;
  const { config } = loaded;
  if (!(config.environments[environment]?.autoDeploy ?? config.deploy.trigger === 'push')) return done;
  const ctx = createProviderContext({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
  });
  for (const service of resolveEnvironment(config, environment)) {
    if (!switchedOff.includes(service.name) || !service.provider || service.provider.type === 'none')
      continue;
    const provider = createProvider(service, { cwd: input.cwd, env: input.env });
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

export const run: CommandHandler = async (input) => {
  const environment = flagString(input, 'env') ?? 'production';
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  try {
    const held = await describeLock(store, environment);
    if (!held) {
      // "prod is not locked" must not reassure anyone while production is: an undeclared name is a mistake.
      const loaded = await configFor(input).catch(() => undefined);
      if (loaded && !loaded.failure) resolveEnvironment(loaded.config, environment);
      const result: UnlockResult = {
        environment,
        released: false,
        holder: null,
        reason: null,
        run: null,
        autoDeployOn: [],
        autoDeployFailed: [],
      };
      return { ok: true, data: result, print: (out) => out.success(`${environment} is not locked`) };
    }
    const holderRun = await store.getRun(runIdOfHolder(held.lock.holder));
    if (holderRun?.status === 'running' && !held.dead && !flagBool(input, 'force'))
      throw new UserError(
        `${environment} is locked by a deploy that is still running (${held.lock.holder})`,
        'wait for it, or pass --force if you know its process is gone',
      );
    await store.forceReleaseLock(lockName(environment));
    // Recorded as a run of its own, so the log and an incident's timeline show who forced the lock open.
    const now = new Date().toISOString();
    const unlockRun = await store.createRun({
      kind: 'unlock',
      environment,
      status: 'succeeded',
      actor: currentActor(input.cwd, input.env),
      startedAt: now,
      summary: { holder: held.lock.holder, reason: held.lock.reason, run: holderRun?.id ?? null },
    });
    await store.updateRun(unlockRun.id, { finishedAt: now });
    let runInfo: UnlockResult['run'] = null;
    if (holderRun) {
      if (holderRun.status === 'running') await store.updateRun(holderRun.id, { status: 'interrupted' });
      const status = holderRun.status === 'running' ? 'interrupted' : holderRun.status;
      runInfo = { id: holderRun.id, status };
      await store.appendEvent(holderRun.id, {
        level: 'info',
        type: 'lock.released',
        message: `${environment} unlocked by hand`,
      });
    }
    const autoDeploy = await restoreAutoDeploy(
      input,
      environment,
      holderRun ? await autoDeployTurnedOff(store, holderRun) : [],
    );
    const autoDeployOn = autoDeploy.on;
    const result: UnlockResult = {
      environment,
      released: true,
      holder: held.lock.holder,
      reason: held.lock.reason,
      run: runInfo,
      autoDeployOn,
      autoDeployFailed: autoDeploy.failed,
    };
    return {
      ok: true,
      data: result,
      print: (out) => {
        out.success(`unlocked ${environment} (was: ${held.lock.reason ?? held.lock.holder})`);
        if (autoDeployOn.length)
          out.note(`platform auto-deploy switched back on for ${autoDeployOn.join(', ')}`);
        for (const f of autoDeploy.failed)
          out.warn(`auto-deploy is still off for ${f}; switch it on in the platform's dashboard`);
      },
    };
  } finally {
    await store.close();
  }
};
