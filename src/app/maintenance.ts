/** The maintenance use-cases: the recurring chores' status, what is due, running a task, recording one done. */
import { currentActor } from '../actor/index.js';
import {
  type Completion,
  type MaintenanceContext,
  maintenanceDue,
  maintenanceStatus,
  markDone,
  runTask,
  type TaskStatus,
} from '../maintenance/index.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';

export interface MaintenanceOptions extends ConfigOptions {
  store?: Store;
  /** Who ran or recorded it (default: OPSBOOK_ACTOR, else git user, else the OS user). */
  actor?: string;
  now?: () => Date;
}

async function withContext<T>(options: MaintenanceOptions, work: (ctx: MaintenanceContext) => Promise<T>) {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  return withStore(options.store, base, (store) =>
    work({
      cwd: base.cwd,
      config,
      env: base.env,
      store,
      actor: options.actor ?? currentActor(base.cwd, base.env),
      signal: base.signal,
      ...(options.now ? { now: options.now } : {}),
    }),
  );
}

/** Every task with its schedule, owner, last completion and state. */
export function maintenanceList(options: MaintenanceOptions): Promise<TaskStatus[]> {
  return withContext(options, maintenanceStatus);
}

/** The tasks due or overdue. */
export function maintenanceDueTasks(options: MaintenanceOptions): Promise<TaskStatus[]> {
  return withContext(options, maintenanceDue);
}

/** Runs a task's check or command and records the evidence. */
export function maintenanceRun(options: MaintenanceOptions & { id: string }): Promise<Completion> {
  return withContext(options, (ctx) => runTask(ctx, options.id));
}

/** Records a manual task done, with an optional note. */
export function maintenanceDone(
  options: MaintenanceOptions & { id: string; note?: string },
): Promise<Completion> {
  return withContext(options, (ctx) => markDone(ctx, options.id, options.note));
}
