/**
 * Incidents as the public may see them: only those touching a published component, with their public
 * updates (time, status, text). Internal notes, notifications, people and severities stay inside.
 */
import type { IncidentRecord } from '../store/index.js';
import { nowOf, type ServerContext } from './context.js';

export const HISTORY_DAYS = 90;

export interface PublicUpdate {
  at: string;
  status: string;
  message: string;
}

export interface PublicIncident {
  id: string;
  number: number;
  title: string;
  /** investigating | identified | monitoring | resolved. */
  status: string;
  components: string[];
  startedAt: string;
  resolvedAt: string | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

export async function readPublicIncidents(
  ctx: ServerContext,
  components: { service: string; name: string }[],
): Promise<{ open: PublicIncident[]; history: PublicIncident[] }> {
  const since = new Date(nowOf(ctx) - HISTORY_DAYS * 86_400_000).toISOString();
  const names = new Map(components.map((c) => [c.service, c.name]));
  // The open ones on their own: in one list of the 200 newest, an incident open for weeks fell off the page
  // behind newer (often resolved) ones, and the page said all was well while it was still open.
  const [open, recent] = await Promise.all([
    ctx.store.incidents.listIncidents({ environment: ctx.environment, open: true, limit: 1_000 }),
    ctx.store.incidents.listIncidents({ environment: ctx.environment, since, limit: 200 }),
  ]);
  const seen = new Set(open.map((i) => i.id));
  const records = [...open, ...recent.filter((i) => !seen.has(i.id))];
  const shown = records.filter((i) => i.services.some((s) => names.has(s)));
  const all = await Promise.all(shown.map((i) => toPublic(ctx, i, names)));
  return {
    open: all.filter((i) => i.resolvedAt === null),
    history: all.filter((i) => i.resolvedAt !== null),
  };
}

async function toPublic(
  ctx: ServerContext,
  i: IncidentRecord,
  names: Map<string, string>,
): Promise<PublicIncident> {
  const entries = await ctx.store.incidents.listTimeline(i.id);
  const updates = entries
    .filter((e) => e.public)
    .map((e) => ({
      at: e.at,
      status: String((e.data as { status?: string } | null)?.status ?? 'update'),
      message: e.message,
    }))
    .reverse();
  const status = i.state === 'resolved' ? 'resolved' : (updates[0]?.status ?? 'investigating');
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    status,
    components: i.services.filter((s) => names.has(s)).map((s) => names.get(s)!),
    startedAt: i.openedAt,
    resolvedAt: i.resolvedAt,
    updates: updates.length
      ? updates
      : [{ at: i.openedAt, status: 'investigating', message: 'We are investigating this issue.' }],
  };
}
