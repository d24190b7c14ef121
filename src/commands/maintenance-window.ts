/** `opsbook maintenance window start|end|list`: maintenance by hand, honoured by the status page and alert engine. */
import { windowEnd, windowList, windowStart } from '../app/maintenance-window.js';
import { UserError } from '../errors.js';
import { configFor } from './config.js';
import { printWindowChange, printWindows } from './maintenance-render.js';
import type { MAINTENANCE_ARGS } from './specs-operate.js';
import type { CommandInput, CommandOutcome } from './types.js';

const ACTIONS = ['start', 'end', 'list'] as const;

export async function runWindow(
  input: CommandInput<typeof MAINTENANCE_ARGS>,
  args: string[],
): Promise<CommandOutcome> {
  const [action, ...rest] = args;
  if (!action || !(ACTIONS as readonly string[]).includes(action))
    throw new UserError(
      action ? `unknown maintenance window action '${action}'` : 'maintenance window needs an action',
      'use: maintenance window start SERVICE... --duration 1h [--reason TEXT] | end [ID] | list',
    );
  if ((action === 'list' && rest.length) || (action === 'end' && rest.length > 1))
    throw new UserError(`unexpected argument '${rest[action === 'end' ? 1 : 0]}'`);
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = input.values.env ?? 'production';
  const base = {
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment,
  };
  if (action === 'list') {
    const windows = await windowList(base);
    return { ok: true, data: windows, print: (out) => printWindows(out, windows) };
  }
  const window =
    action === 'start'
      ? await windowStart({
          ...base,
          services: rest,
          duration: input.values.duration,
          reason: input.values.reason,
        })
      : await windowEnd({ ...base, id: rest[0] });
  return {
    ok: true,
    data: window,
    print: (out) => printWindowChange(out, window, action === 'start', environment),
  };
}
