/**
 * Maintenance windows: those scheduled in the config (`maintenanceWindows`, recurring or one-off) and those opened
 * by hand (`opsbook maintenance window start`, a run of kind `maintenance-window` in the store). One list of
 * windows is what the status page, the alert engine and the incident timeline all read.
 */
import { parseDuration, type StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { printable } from '../output/index.js';
import { parseSchedule, previousOccurrence } from '../schedule/index.js';
import type { RunRecord, Store } from '../store/index.js';

export const WINDOW_RUN_KIND = 'maintenance-window';

export interface MaintenanceWindow {
  /** Unique per occurrence: `config:<id>:<start>` or `manual:<run id>`. */
  key: string;
  /** The config id, or the run id of a window opened by hand. */
  id: string;
  source: 'config' | 'manual';
  services: string[];
  /** null: every environment. */
  environment: string | null;
  startsAt: string;
  endsAt: string;
  reason: string | null;
  by: string | null;
}

export interface WindowContext {
  config: StackConfig;
  store: Store;
  now?: () => Date;
}

interface ManualSummary {
  services: string[];
  reason: string | null;
  endsAt: string;
}

function fromRun(run: RunRecord): MaintenanceWindow | undefined {
  const s = run.summary as unknown as ManualSummary | null;
  if (!s || !Array.isArray(s.services)) return undefined;
  return {
    key: `manual:${run.id}`,
    id: run.id,
    source: 'manual',
    services: s.services,
    environment: run.environment,
    startsAt: run.startedAt,
    endsAt: s.endsAt,
    reason: s.reason,
    by: run.actor,
  };
}

/** The latest occurrence of each configured window that has started by `now` (it may have ended since). */
function configured(config: StackConfig, now: Date): MaintenanceWindow[] {
  const out: MaintenanceWindow[] = [];
  for (const w of config.maintenanceWindows) {
    const length = parseDuration(w.duration);
    const start = w.start
      ? new Date(w.start)
      : w.every
        ? previousOccurrence(parseSchedule(w.every, w.timezone), now)
        : undefined;
    if (!start || start > now) continue;
    out.push({
      key: `config:${w.id}:${start.toISOString()}`,
      id: w.id,
      source: 'config',
      services: w.services,
      environment: w.environment ?? null,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + length).toISOString(),
      reason: w.reason ?? null,
      by: null,
    });
  }
  return out;
}

const inEnvironment = (w: MaintenanceWindow, environment: string) =>
  w.environment === null || w.environment === environment;

/** Windows of the environment that have started: open ones and recently ended ones (for the timeline). */
export async function recentWindows(ctx: WindowContext, environment: string): Promise<MaintenanceWindow[]> {
  const now = ctx.now?.() ?? new Date();
  const runs = await ctx.store.listRuns({ kind: WINDOW_RUN_KIND, limit: 100 });
  const manual = runs.flatMap((r) => fromRun(r) ?? []);
  return [...configured(ctx.config, now), ...manual].filter(
    (w) => inEnvironment(w, environment) && Date.parse(w.startsAt) <= now.getTime(),
  );
}

/** Windows open now in the environment. */
export async function activeWindows(ctx: WindowContext, environment: string): Promise<MaintenanceWindow[]> {
  const now = (ctx.now?.() ?? new Date()).getTime();
  return (await recentWindows(ctx, environment)).filter((w) => now < Date.parse(w.endsAt));
}

export interface StartWindowOptions {
  services: string[];
  environment: string;
  duration: string;
  reason?: string;
  actor: string | null;
}

export async function startWindow(
  ctx: WindowContext,
  options: StartWindowOptions,
): Promise<MaintenanceWindow> {
  if (!options.services.length)
    throw new UserError(
      'which components are under maintenance?',
      `name them: opsbook maintenance window start ${Object.keys(ctx.config.services)[0] ?? 'api'} --duration 1h`,
    );
  for (const s of options.services)
    if (!ctx.config.services[s])
      throw new UserError(
        `'${s}' is not a service of this stack`,
        `services: ${Object.keys(ctx.config.services).join(', ')}`,
      );
  let length: number;
  try {
    length = parseDuration(options.duration);
  } catch {
    throw new UserError(`'${options.duration}' is not a duration`, 'give --duration 1h (units m, h, d)');
  }
  if (length <= 0)
    throw new UserError(
      `a maintenance window of ${options.duration} would end as it starts: nothing would be silenced`,
      'give how long it lasts: --duration 1h',
    );
  // A window nobody ends silences alerts for good: past a week it is a mistake.
  if (length > 7 * 86400e3)
    throw new UserError(
      `a maintenance window lasts at most 7d, not ${options.duration}`,
      'give --duration 1h',
    );
  const now = ctx.now?.() ?? new Date();
  const summary: ManualSummary = {
    services: options.services,
    // Shown later to others (window list, incident timelines, notifications): an escape sequence typed or pasted
    // into it is kept as \xNN, not replayed on their terminals.
    reason: options.reason?.trim() ? printable(options.reason.trim()) : null,
    endsAt: new Date(now.getTime() + length).toISOString(),
  };
  const run = await ctx.store.createRun({
    kind: WINDOW_RUN_KIND,
    environment: options.environment,
    actor: options.actor,
    startedAt: now.toISOString(),
    summary: JSON.parse(JSON.stringify(summary)),
  });
  return fromRun(run)!;
}

/** Ends the open window `id` (or the only open one) now. */
export async function endWindow(
  ctx: WindowContext,
  environment: string,
  id?: string,
): Promise<MaintenanceWindow> {
  const open = (await activeWindows(ctx, environment)).filter((w) => w.source === 'manual');
  const window = id ? open.find((w) => w.id === id) : open.length === 1 ? open[0] : undefined;
  if (!window)
    throw new UserError(
      id
        ? `no open maintenance window ${id} in ${environment}`
        : open.length
          ? `${open.length} maintenance windows are open in ${environment}: which one?`
          : `no maintenance window is open in ${environment}`,
      open.length
        ? `open: ${open.map((w) => `${w.id} (${w.services.join(', ')})`).join('; ')}`
        : 'see `opsbook maintenance window list`',
    );
  const now = (ctx.now?.() ?? new Date()).toISOString();
  const summary: ManualSummary = { services: window.services, reason: window.reason, endsAt: now };
  await ctx.store.updateRun(window.id, {
    status: 'succeeded',
    finishedAt: now,
    summary: JSON.parse(JSON.stringify(summary)),
  });
  return { ...window, endsAt: now };
}
