/** `opsbook oncall [now] | at TIME | schedule [ID]`: who is on call, from the schedules in the config. */
import { oncallAt, oncallSchedule } from '../app/oncall.js';
import { UserError } from '../errors.js';
import { configFor } from './config.js';
import { printOnCall, printShifts } from './oncall-render.js';
import type { ONCALL_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

function parseTime(text: string | undefined): number {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  if (Number.isNaN(ms))
    throw new UserError(
      `'${text ?? ''}' is not a time`,
      'give an ISO 8601 time, e.g. opsbook oncall at 2026-03-29T08:00:00+02:00',
    );
  return ms;
}

export const run: CommandHandler<typeof ONCALL_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const [action = 'now', arg] = input.positionals;
  if (action !== 'now' && action !== 'at' && action !== 'schedule')
    throw new UserError(
      `unknown oncall action '${action}'`,
      'use: opsbook oncall [now] | at TIME | schedule [ID] [--days N]',
    );
  const at = action === 'at' ? parseTime(arg) : Date.now();
  const days = Number(input.values.days ?? '14');
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new UserError(`--days must be 1 to 366, not '${input.values.days}'`, 'e.g. --days 14');
  const options = {
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    at,
    days,
    onWarning: (message: string) => input.out.warn(message),
  };
  if (action === 'schedule') {
    const data = await oncallSchedule({ ...options, ...(arg ? { schedule: arg } : {}) });
    return { ok: true, data, print: (out) => printShifts(out, data, days) };
  }
  const now = await oncallAt(options);
  return {
    // Someone nobody can page (a gap, or a calendar naming no contact) is not coverage.
    ok: now.oncall.every((r) => r.contact !== null && r.declared),
    data: now,
    print: (out) => printOnCall(out, now),
  };
};
