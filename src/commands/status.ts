/** `opsbook status`: flags → the status use-case → the table. */
import { status } from '../app/status.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import { printStatus } from './status-render.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const result = await status({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment: flagString(input, 'env'),
    offline: flagBool(input, 'offline'),
  });
  return { ok: true, data: result, print: (out) => printStatus(out, result) };
};
