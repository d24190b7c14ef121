/** `opsbook unlock`: flags → the unlock use-case → what was released. */
import { unlock } from '../app/unlock.js';
import type { UNLOCK_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof UNLOCK_ARGS> = async (input) => {
  const result = await unlock({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    configFile: input.values.config,
    environment: input.values.env,
    force: input.values.force,
  });
  return {
    ok: true,
    data: result,
    print: (out) => {
      if (!result.released) return out.success(`${result.environment} is not locked`);
      out.success(`unlocked ${result.environment} (was: ${result.reason ?? result.holder})`);
      if (result.autoDeployOn.length)
        out.note(`platform auto-deploy switched back on for ${result.autoDeployOn.join(', ')}`);
      for (const f of result.autoDeployFailed)
        out.warn(`auto-deploy is still off for ${f}; switch it on in the platform's dashboard`);
    },
  };
};
