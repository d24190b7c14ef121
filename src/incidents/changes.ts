/**
 * The changes around an incident that are not deploys themselves: the environment's deploy lock (taken and
 * released by deploys and rollbacks, forced open by `opsbook unlock`) and env changes of the affected services
 * that a verified deploy found against the previous good deploy (names only, never values).
 */
import type { IncidentRecord, RunRecord, Store } from '../store/index.js';

export interface ChangeEntry {
  at: string;
  kind: 'lock' | 'env';
  message: string;
  actor: string | null;
}

export async function changesAround(
  store: Store,
  incident: IncidentRecord,
  runs: RunRecord[],
  inWindow: (at: string) => boolean,
): Promise<ChangeEntry[]> {
  const env = incident.environment;
  const out: ChangeEntry[] = [];
  for (const r of runs) {
    if (r.kind === 'unlock' && inWindow(r.startedAt)) {
      const holder = (r.summary as { holder?: string } | null)?.holder;
      out.push({
        at: r.startedAt,
        kind: 'lock',
        message: `Deploy lock on ${env} forced open with \`opsbook unlock\`${holder ? ` (it was held by ${holder})` : ''}`,
        actor: r.actor,
      });
      continue;
    }
    if (r.kind !== 'deploy' && r.kind !== 'rollback') continue;
    if (inWindow(r.startedAt))
      out.push({
        at: r.startedAt,
        kind: 'lock',
        message: `Deploy lock on ${env} taken for ${r.kind} ${r.id}`,
        actor: r.actor,
      });
    // An interrupted run's lock stays held (by a process that is gone) until someone unlocks it.
    if (r.finishedAt && r.status !== 'interrupted' && inWindow(r.finishedAt))
      out.push({
        at: r.finishedAt,
        kind: 'lock',
        message: `Deploy lock on ${env} released: ${r.kind} ${r.id} ${r.status}`,
        actor: r.actor,
      });
    if (r.kind === 'deploy' && inWindow(r.startedAt))
      for (const e of await store.listEvents(r.id)) {
        const service = (e.data as { service?: string } | null)?.service;
        if (e.type !== 'deploy.env-changed' || !inWindow(e.at)) continue;
        if (incident.services.length && (!service || !incident.services.includes(service))) continue;
        out.push({ at: e.at, kind: 'env', message: `${e.message} (deploy ${r.id})`, actor: r.actor });
      }
  }
  return out;
}
