/**
 * An open incident's timeline shows the state of the upstreams its services depend on (the providers'
 * own status pages, read by the upstream monitors): an entry when one is not operational, another when it
 * changes or recovers. Entries are keyed by upstream and sample time, so instances never write one twice.
 */
import type { MonitorRecord, NewTimelineEntry } from '../store/index.js';
import { upstreamName, upstreamService } from '../upstream/index.js';
import type { IncidentContext } from './actions.js';

export async function recordUpstreams(ctx: IncidentContext, environment: string): Promise<number> {
  const upstreams = ctx.config.upstreams ?? [];
  if (!upstreams.length) return 0;
  const open = await ctx.store.incidents.listIncidents({ environment, open: true });
  if (!open.length) return 0;
  const monitors = new Map<string, MonitorRecord>();
  for (const m of await ctx.store.monitoring.listMonitors({ environment }))
    if (m.kind === 'statuspage') monitors.set(m.service, m);
  let added = 0;
  for (const incident of open) {
    const relevant = upstreams.filter(
      (u) =>
        !u.services || !incident.services.length || u.services.some((s) => incident.services.includes(s)),
    );
    if (!relevant.length) continue;
    const timeline = await ctx.store.incidents.listTimeline(incident.id);
    const entries: NewTimelineEntry[] = [];
    for (const u of relevant) {
      const last = monitors.get(upstreamService(u.id))?.last;
      if (!last) continue;
      const message = last.outcome === 'up' ? `${upstreamName(u)}: operational` : (last.message ?? '');
      const previous = timeline.filter((e) => e.kind === 'upstream' && upstreamOf(e.data) === u.id).at(-1);
      // Nothing to say while it is fine, unless it was not before.
      if (previous ? previous.message === message : last.outcome === 'up') continue;
      entries.push({
        kind: 'upstream',
        key: `upstream/${incident.id}/${u.id}/${last.at}`,
        at: last.at,
        message,
        data: { upstream: u.id, outcome: last.outcome },
      });
    }
    if (entries.length) added += await ctx.store.incidents.addTimeline(incident.id, entries);
  }
  return added;
}

const upstreamOf = (data: unknown) => (data as { upstream?: string } | null)?.upstream;
