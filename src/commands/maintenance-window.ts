/** `opsbook maintenance window start|end|list`: maintenance by hand, honoured by the status page and alert engine. */
import { currentActor } from '../actor/index.js';
import { UserError } from '../errors.js';
import {
  activeWindows,
  endWindow,
  type MaintenanceWindow,
  recordWindowsInTimeline,
  startWindow,
  type WindowContext,
} from '../maintenance-windows/index.js';
import type { Output } from '../output/index.js';
import { openStore } from '../store/index.js';
import { flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandInput, CommandOutcome } from './types.js';

const ACTIONS = ['start', 'end', 'list'] as const;

function printWindows(out: Output, windows: readonly MaintenanceWindow[]): void {
  if (!windows.length) {
    out.note('no maintenance window is open');
    return;
  }
  out.table(windows, [
    { header: 'ID', value: (w) => w.id },
    { header: 'SERVICES', value: (w) => w.services.join(', ') },
    { header: 'FROM', value: (w) => w.startsAt },
    { header: 'UNTIL', value: (w) => w.endsAt },
    { header: 'HOW', value: (w) => (w.source === 'config' ? 'scheduled' : `by ${w.by ?? '?'}`) },
    { header: 'REASON', value: (w) => w.reason ?? '-' },
  ]);
}

export async function runWindow(input: CommandInput, args: string[]): Promise<CommandOutcome> {
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
  const environment = flagString(input, 'env') ?? 'production';
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  const ctx: WindowContext = { config: loaded.config, store };
  try {
    if (action === 'list') {
      const windows = await activeWindows(ctx, environment);
      return { ok: true, data: windows, print: (out) => printWindows(out, windows) };
    }
    const window =
      action === 'start'
        ? await startWindow(ctx, {
            services: rest,
            environment,
            duration: flagString(input, 'duration') ?? '1h',
            ...(flagString(input, 'reason') ? { reason: flagString(input, 'reason')! } : {}),
            actor: currentActor(input.cwd, input.env),
          })
        : await endWindow(ctx, environment, rest[0]);
    // Open incidents of these services hear of it now, not at serve's next pass.
    await recordWindowsInTimeline(ctx, environment);
    return {
      ok: true,
      data: window,
      print: (out) =>
        action === 'start'
          ? out.success(
              `${window.services.join(', ')} under maintenance in ${environment} until ${window.endsAt} (window ${window.id}): alerts silenced`,
            )
          : out.success(`maintenance window ${window.id} ended: ${window.services.join(', ')} alert again`),
    };
  } finally {
    await store.close();
  }
}
