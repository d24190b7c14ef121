/**
 * Open incidents record the maintenance windows of their services: when one started and when it ended. Entries
 * are keyed per incident and window occurrence, so calling this on every pass of `serve` (and from the window
 * commands) writes each once.
 */
import { recentWindows, type WindowContext } from './windows.js';

export async function recordWindowsInTimeline(ctx: WindowContext, environment: string): Promise<number> {
  const now = (ctx.now?.() ?? new Date()).getTime();
  const windows = await recentWindows(ctx, environment);
  if (!windows.length) return 0;
  const incidents = await ctx.store.incidents.listIncidents({ environment, open: true });
  let added = 0;
  for (const incident of incidents)
    for (const w of windows) {
      const services = w.services.filter((s) => incident.services.includes(s));
      // A window that ended before the incident opened is not part of its story.
      if (!services.length || Date.parse(w.endsAt) <= Date.parse(incident.openedAt)) continue;
      const what = `Maintenance window ${w.id}${w.reason ? ` (${w.reason})` : ''} for ${services.join(', ')}`;
      const data = { window: w.id, source: w.source, services, startsAt: w.startsAt, endsAt: w.endsAt };
      const entries = [
        {
          kind: 'maintenance',
          key: `maintenance:${incident.id}:${w.key}:start`,
          at: w.startsAt,
          actor: w.by,
          message: `${what} started; its alerts are silenced until ${w.endsAt}`,
          data,
        },
        ...(Date.parse(w.endsAt) <= now
          ? [
              {
                kind: 'maintenance',
                key: `maintenance:${incident.id}:${w.key}:end`,
                at: w.endsAt,
                message: `${what} ended; its alerts notify again`,
                data,
              },
            ]
          : []),
      ];
      added += await ctx.store.incidents.addTimeline(incident.id, entries);
    }
  return added;
}
