/** `opsbook oncall [now] | at TIME | schedule [ID]`: who is on call, from the schedules in the config. */
import { UserError } from '../errors.js';
import { expandSchedule, loadCalendars, onCallAt, scheduleSpec } from '../oncall/index.js';
import { flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler } from './types.js';

const DAY_MS = 86_400_000;

function parseTime(text: string | undefined): number {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  if (Number.isNaN(ms))
    throw new UserError(
      `'${text ?? ''}' is not a time`,
      'give an ISO 8601 time, e.g. opsbook oncall at 2026-03-29T08:00:00+02:00',
    );
  return ms;
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const config = loaded.config;
  const [action = 'now', arg] = input.positionals;
  const schedules = config.incidents?.schedules ?? {};
  if (!Object.keys(schedules).length)
    throw new UserError('no on-call schedules in the config', 'declare them under incidents.schedules');
  const at = action === 'at' ? parseTime(arg) : Date.now();
  const days = Number(flagString(input, 'days') ?? '14');
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new UserError(`--days must be 1 to 366, not '${flagString(input, 'days')}'`, 'e.g. --days 14');
  const calendars = await loadCalendars(config, {
    cwd: input.cwd,
    fetch,
    from: at - 7 * DAY_MS,
    to: at + (days + 7) * DAY_MS,
  });
  for (const e of calendars.errors) input.out.warn(e.message);
  const name = (c: string | null) => (c ? (config.incidents?.contacts[c]?.name ?? c) : 'NOBODY');
  const iso = (ms: number) => new Date(ms).toISOString();

  if (action === 'now' || action === 'at') {
    const rows = Object.entries(schedules).map(([id, s]) => {
      const on = onCallAt(scheduleSpec(id, s, calendars.events[id] ?? []), at);
      return {
        schedule: id,
        contact: on?.contact ?? null,
        name: name(on?.contact ?? null),
        since: on ? iso(on.since) : null,
        until: on ? iso(on.until) : null,
        source: on?.source ?? null,
      };
    });
    const gaps = rows.filter((r) => !r.contact);
    return {
      ok: gaps.length === 0,
      data: { at: iso(at), oncall: rows },
      print: (out) => {
        out.table(rows, [
          { header: 'SCHEDULE', value: (r) => r.schedule },
          { header: 'ON CALL', value: (r) => r.name },
          { header: 'SINCE', value: (r) => r.since ?? '-' },
          { header: 'UNTIL', value: (r) => r.until ?? '-' },
          { header: 'FROM', value: (r) => r.source ?? '-' },
        ]);
        for (const g of gaps)
          out.error(
            `nobody is on call in '${g.schedule}' at ${iso(at)}`,
            'add a layer or an override that covers it',
          );
      },
    };
  }
  if (action === 'schedule') {
    const ids = arg ? [arg] : Object.keys(schedules);
    for (const id of ids)
      if (!schedules[id])
        throw new UserError(`unknown schedule '${id}'`, `schedules: ${Object.keys(schedules).join(', ')}`);
    const data = ids.map((id) => ({
      schedule: id,
      timeZone: schedules[id]!.timeZone,
      shifts: expandSchedule(
        scheduleSpec(id, schedules[id]!, calendars.events[id] ?? []),
        at,
        at + days * DAY_MS,
      ).map((s) => ({
        contact: s.contact,
        name: name(s.contact),
        start: iso(s.start),
        end: iso(s.end),
      })),
    }));
    return {
      ok: true,
      data,
      print: (out) => {
        for (const d of data) {
          out.heading(`${d.schedule} (${d.timeZone}), next ${days} days`);
          out.table(d.shifts, [
            { header: 'FROM (UTC)', value: (s) => s.start },
            { header: 'TO (UTC)', value: (s) => s.end },
            { header: 'ON CALL', value: (s) => s.name },
          ]);
        }
      },
    };
  }
  throw new UserError(
    `unknown oncall action '${action}'`,
    'use: opsbook oncall [now] | at TIME | schedule [ID] [--days N]',
  );
};
