/** `opsbook maintenance list|due|run|done`: recurring chores with schedules, owners and recorded evidence. */
import { maintenanceDone, maintenanceDueTasks, maintenanceList, maintenanceRun } from '../app/maintenance.js';
import { UserError } from '../errors.js';
import { configFor } from './config.js';
import { printCompletion, printStatus } from './maintenance-render.js';
import { runWindow } from './maintenance-window.js';
import type { MAINTENANCE_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

const SUBCOMMANDS = ['list', 'due', 'run', 'done', 'window'] as const;

export const run: CommandHandler<typeof MAINTENANCE_ARGS> = async (input) => {
  const [sub, id, ...rest] = input.positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
    throw new UserError(
      `unknown maintenance command '${sub ?? ''}'`,
      `use one of: ${SUBCOMMANDS.join(', ')}`,
    );
  if (sub === 'window') return runWindow(input, input.positionals.slice(1));
  if (rest.length || ((sub === 'list' || sub === 'due') && id))
    throw new UserError(`unexpected argument '${rest[0] ?? id}'`);
  if ((sub === 'run' || sub === 'done') && !id)
    throw new UserError(`maintenance ${sub} needs a task id`, 'see `opsbook maintenance list`');
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const base = {
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
  };
  if (sub === 'list') {
    const rows = await maintenanceList(base);
    return {
      ok: true,
      data: rows,
      print: (out) => printStatus(out, rows, 'no maintenance tasks: add maintenance: to opsbook.yaml'),
    };
  }
  if (sub === 'due') {
    const rows = await maintenanceDueTasks(base);
    return { ok: true, data: rows, print: (out) => printStatus(out, rows, 'nothing is due') };
  }
  const completion =
    sub === 'run'
      ? await maintenanceRun({ ...base, id: id! })
      : await maintenanceDone({ ...base, id: id!, note: input.values.note });
  return { ok: completion.ok, data: completion, print: (out) => printCompletion(out, completion) };
};
