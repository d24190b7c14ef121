/** `opsbook status`: flags → the status use-case → the table. */
import { status } from '../app/status.js';
import { configFor } from './config.js';
import type { STATUS_ARGS } from './specs-release.js';
import { printStatus } from './status-render.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof STATUS_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const result = await status({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment: input.values.env,
    offline: input.values.offline,
  });
  return { ok: true, data: result, print: (out) => printStatus(out, result) };
};
