/**
 * Alerts open incidents: a firing alert whose rule names a configured severity opens one, or joins the
 * open incident of its service; its recovery is recorded, and when every alert of an incident has
 * recovered the incident resolves. Each firing episode (rule, service, fired-at) is linked once.
 */
import { type AlertState, compileRules } from '../alerts/index.js';
import { WINDOW_SILENCE_PREFIX } from '../maintenance-windows/index.js';
import { type IncidentContext, openIncident, raiseSeverity, resolveIncident } from './actions.js';

export async function syncAlerts(
  ctx: IncidentContext,
  environment: string,
): Promise<{ opened: number; joined: number; resolved: number }> {
  const counts = { opened: 0, joined: 0, resolved: 0 };
  const severities = ctx.config.incidents?.severities ?? {};
  const rules = new Map(compileRules(ctx.config, environment).rules.map((r) => [`${r.id}/${r.service}`, r]));
  const touched = new Set<string>();
  for (const record of await ctx.store.alerting.listAlertStates(environment)) {
    const rule = rules.get(`${record.ruleId}/${record.service}`);
    const state = record.state as unknown as AlertState;
    if (!rule?.severity || !severities[rule.severity] || state.firedAt === undefined) continue;
    const episode = `alert:${environment}/${rule.id}/${rule.service}/${state.firedAt}`;
    const linked = await ctx.store.incidents.findTimelineKey(episode);
    if (record.status === 'firing') {
      // Down during a maintenance window is expected: no incident, no page. Still down after it, it opens one.
      if (linked || isMaintenance(state)) continue;
      const entry = {
        kind: 'alert',
        key: episode,
        at: new Date(state.firedAt).toISOString(),
        message: `Alert ${rule.id} firing on ${rule.service}: ${state.summary ?? ''}`.trim(),
        data: {
          rule: rule.id,
          service: rule.service,
          activeAt: state.activeAt ?? null,
          firedAt: state.firedAt,
          summary: state.summary ?? null,
        },
      };
      const { incident, created } = await openIncident(ctx, {
        environment,
        title: `${rule.service}: ${rule.description ?? rule.id}`,
        severity: rule.severity,
        services: [rule.service],
        actor: 'opsbook',
        dedupKey: `service:${rule.service}`,
        timeline: [entry],
      });
      if (created) counts.opened++;
      else if (await ctx.store.incidents.addTimeline(incident.id, [entry])) {
        counts.joined++;
        await raiseSeverity(ctx, incident.id, rule.severity, `alert ${rule.id}`);
      }
    } else if (linked && state.resolvedAt !== undefined && state.resolvedAt >= state.firedAt) {
      const added = await ctx.store.incidents.addTimeline(linked, [
        {
          kind: 'recovery',
          key: `${episode}/recovered`,
          at: new Date(state.resolvedAt).toISOString(),
          message: `Alert ${rule.id} on ${rule.service} recovered: ${state.summary ?? ''}`.trim(),
        },
      ]);
      if (added) touched.add(linked);
    }
  }
  for (const id of touched) if (await resolveWhenRecovered(ctx, id)) counts.resolved++;
  return counts;
}

/** Resolved by its source: every alert that opened or joined the incident has recovered. */
async function resolveWhenRecovered(ctx: IncidentContext, id: string): Promise<boolean> {
  const timeline = await ctx.store.incidents.listTimeline(id);
  const alerts = timeline.filter((e) => e.kind === 'alert').map((e) => e.key);
  const recovered = new Set(timeline.filter((e) => e.kind === 'recovery').map((e) => e.key));
  if (!alerts.every((k) => recovered.has(`${k}/recovered`))) return false;
  const result = await resolveIncident(ctx, id, {
    summary: 'All alerts recovered; resolved by opsbook.',
    actor: 'opsbook',
  });
  return result.changed;
}

const isMaintenance = (state: AlertState): boolean =>
  Boolean(
    state.mutedBy && 'silence' in state.mutedBy && state.mutedBy.silence.startsWith(WINDOW_SILENCE_PREFIX),
  );
