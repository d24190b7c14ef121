import { resolveEnvironment } from '../config/index.js';
import { describeLock, lockName, runIdOfHolder } from '../deploy/index.js';
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
}

/** Auto-deploy goes back on where the environment deploys on push: the lock was what kept it off. */
async function restoreAutoDeploy(input: CommandInput, environment: string): Promise<string[]> {
  const loaded = await configFor(input).catch(() => undefined);
  if (!loaded || loaded.failure) return [];
  const { config } = loaded;
  if (!(config.environments[environment]?.autoDeploy ?? config.deploy.trigger === 'push')) return [];
  const ctx = createProviderContext({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
  });
  const on: string[] = [];
  for (const service of resolveEnvironment(config, environment)) {
    if (!service.provider || service.provider.type === 'none') continue;
    const provider = createProvider(service, { cwd: input.cwd });
    if (!provider.setAutoDeploy) continue;
    await provider.setAutoDeploy(true, ctx);
    on.push(service.name);
  }
  return on;
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
    const autoDeployOn = await restoreAutoDeploy(input, environment);
    const result: UnlockResult = {
      environment,
      released: true,
      holder: held.lock.holder,
      reason: held.lock.reason,
      run: runInfo,
      autoDeployOn,
    };
    return {
      ok: true,
      data: result,
      print: (out) => {
        out.success(`unlocked ${environment} (was: ${held.lock.reason ?? held.lock.holder})`);
        if (autoDeployOn.length)
          out.note(`platform auto-deploy switched back on for ${autoDeployOn.join(', ')}`);
      },
    };
  } finally {
    await store.close();
  }
};
