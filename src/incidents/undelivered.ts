/**
 * A notification of an incident that the outbox could not deliver goes on the incident's timeline. The timeline
 * says "notified Ana via mail" when the step runs; without this it kept saying so after the channel refused the
 * message or stayed down, and the postmortem showed a page nobody received.
 */
import type { IncidentsStore, OutboxRecord } from '../store/index.js';

export interface DeliveryFailure {
  channel: string;
  error: string;
  /** When it is tried again; absent: given up. */
  retryAt?: string;
  /** The outbox row's key; an incident's start with `incident/<id>/`. */
  dedupKey?: string;
}

/** Returns whether an entry was written: the first failure of a notification, and its giving up, once each. */
export async function recordDeliveryFailure(
  store: Pick<IncidentsStore, 'addTimeline' | 'listTimeline'>,
  f: DeliveryFailure,
): Promise<boolean> {
  const incidentId = f.dedupKey ? /^incident\/([^/]+)\//.exec(f.dedupKey)?.[1] : undefined;
  if (!f.dedupKey || !incidentId) return false;
  // The step's own entry shares the row's key: say whose page it was.
  const sent = (await store.listTimeline(incidentId)).find((e) => e.key === f.dedupKey);
  const what = sent
    ? sent.message.replace(/: notified /, ': the page to ')
    : `The notification via ${f.channel}`;
  const outcome = f.retryAt ? `trying again at ${f.retryAt}` : 'given up: it reached nobody';
  const added = await store.addTimeline(incidentId, [
    {
      kind: 'undelivered',
      key: `${f.dedupKey}/${f.retryAt ? 'failed' : 'given-up'}`,
      message: `${what} was not delivered (${f.error}); ${outcome}`,
      data: { channel: f.channel, error: f.error, retryAt: f.retryAt ?? null },
    },
  ]);
  return added > 0;
}

/**
 * A page of an escalation step that is still in the outbox (retried after its channel failed) once the incident is
 * acknowledged, resolved or escalating anew: sending it would page someone for an escalation that has stopped.
 */
export function obsoletePage(store: Pick<IncidentsStore, 'getIncident'>) {
  return async (row: Pick<OutboxRecord, 'dedupKey'>): Promise<string | undefined> => {
    const step = /^incident\/([^/]+)\/c(\d+)\/l\d+\/s\d+\//.exec(row.dedupKey);
    if (!step) return undefined;
    const incident = await store.getIncident(step[1]!);
    if (!incident || incident.id !== step[1]) return undefined;
    if (incident.state === 'resolved') return `incident #${incident.number} is resolved`;
    if (incident.state !== 'triggered')
      return `incident #${incident.number} was acknowledged${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`;
    const cycle = (incident.escalation as { cycle?: number } | null)?.cycle ?? 0;
    return Number(step[2]) < cycle
      ? `incident #${incident.number} has started its escalation over since`
      : undefined;
  };
}
