/** Acknowledging through a signed link: valid, unexpired, for this incident, and used once. */
import { acknowledgeIncident, type IncidentContext } from './actions.js';
import { verifyAck } from './link.js';

export type LinkAckResult =
  | { ok: true; number: number; title: string; by: string; changed: boolean }
  | { ok: false; reason: string };

/** Checks a link without using it (the confirmation page a GET shows: mail scanners follow GETs). */
export async function checkAckLink(
  ctx: IncidentContext,
  key: string,
  incidentId: string,
  token: string,
): Promise<LinkAckResult> {
  const v = verifyAck(key, token, incidentId, (ctx.now ?? Date.now)());
  if (!v.ok) return v;
  const incident = await ctx.store.incidents.getIncident(incidentId);
  if (!incident) return { ok: false, reason: 'this incident does not exist' };
  if (await ctx.store.incidents.findTimelineKey(`link:${v.claim.nonce}`))
    return { ok: false, reason: 'this link was already used' };
  return { ok: true, number: incident.number, title: incident.title, by: v.claim.who, changed: false };
}

export async function acknowledgeByLink(
  ctx: IncidentContext,
  key: string,
  incidentId: string,
  token: string,
): Promise<LinkAckResult> {
  const checked = await checkAckLink(ctx, key, incidentId, token);
  if (!checked.ok) return checked;
  const v = verifyAck(key, token, incidentId, (ctx.now ?? Date.now)());
  if (!v.ok) return v;
  const used = {
    kind: 'link',
    key: `link:${v.claim.nonce}`,
    message: `Acknowledge link sent to ${v.claim.who} used`,
  };
  const result = await acknowledgeIncident(ctx, incidentId, {
    actor: v.claim.who,
    via: 'signed link',
    extra: [used],
  });
  if (!result.changed && !(await ctx.store.incidents.addTimeline(incidentId, [used])))
    return { ok: false, reason: 'this link was already used' };
  return { ...checked, changed: result.changed };
}
