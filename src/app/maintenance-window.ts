/** The maintenance window use-cases: open one by hand, end it, list the windows open now. */
import { currentActor } from '../actor/index.js';
import { resolveEnvironment } from '../config/index.js';
import {
  activeWindows,
  endWindow,
  type MaintenanceWindow,
  recordWindowsInTimeline,
  startWindow,
  type WindowContext,
} from '../maintenance-windows/index.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';

export interface WindowOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  store?: Store;
}

async function withContext<T>(
  options: WindowOptions,
  work: (ctx: WindowContext, environment: string) => Promise<T>,
) {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const environment = options.environment ?? 'production';
  // A misspelt --env (prod) opened a window nothing reads: production's alerts were not silenced, though it said so.
  resolveEnvironment(config, environment);
  return withStore(options.store, base, (store) => work({ config, store }, environment));
}

/** The windows open now, scheduled and by hand. */
export function windowList(options: WindowOptions): Promise<MaintenanceWindow[]> {
  return withContext(options, activeWindows);
}

/** Opens a window on these services: their alerts are silenced and the status page says so. */
export function windowStart(
  options: WindowOptions & { services: string[]; duration?: string; reason?: string; actor?: string },
): Promise<MaintenanceWindow> {
  const base = resolveOptions(options);
  return withContext(options, async (ctx, environment) => {
    const window = await startWindow(ctx, {
      services: options.services,
      environment,
      duration: options.duration ?? '1h',
      ...(options.reason ? { reason: options.reason } : {}),
      actor: options.actor ?? currentActor(base.cwd, base.env),
    });
    // Open incidents of these services hear of it now, not at serve's next pass.
    await recordWindowsInTimeline(ctx, environment);
    return window;
  });
}

/** Ends the window `id`, or the environment's open one. */
export function windowEnd(options: WindowOptions & { id?: string }): Promise<MaintenanceWindow> {
  return withContext(options, async (ctx, environment) => {
    const window = await endWindow(ctx, environment, options.id);
    await recordWindowsInTimeline(ctx, environment);
    return window;
  });
}
