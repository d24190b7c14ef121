/** `opsbook unlock`: flags → the unlock use-case → what was released. */
import { unlock } from '../app/unlock.js';
import { flagBool, flagString } from './args.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler = async (input) => {
  const result = await unlock({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    configFile: flagString(input, 'config'),
    environment: flagString(input, 'env'),
    force: flagBool(input, 'force'),
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
