/**
 * Due and overdue maintenance tasks are told to their channels through the notification outbox. The dedup key is
 * the task, the occurrence it is due for and its state, so each is sent once per channel however often this runs
 * and however many `serve` instances run it.
 */
import type { Store } from '../store/index.js';
import { type MaintenanceContext, maintenanceDue } from './operations.js';

export async function notifyDueTasks(ctx: MaintenanceContext & { environment: string }): Promise<number> {
  const due = await maintenanceDue(ctx);
  const all = Object.keys(ctx.config.channels);
  const rows: Parameters<Store['alerting']['enqueueNotifications']>[0][number][] = [];
  for (const t of due) {
    const task = ctx.config.maintenance.find((m) => m.id === t.id);
    const since = t.dueSince ?? 'never';
    const payload = {
      event: `maintenance.${t.state}`,
      title: `Maintenance ${t.state}: ${t.title}`,
      text: `${t.title} (${t.every}) is ${t.state} since ${since.slice(0, 10)}${t.owner ? `; owner ${t.owner}` : ''}. ${
        t.kind === 'checklist'
          ? `Do it, then record it: opsbook maintenance done ${t.id}`
          : `Run it: opsbook maintenance run ${t.id}`
      }${t.lastDone && !t.lastDone.ok ? ` (last attempt failed: ${t.lastDone.evidence?.summary ?? 'failed'})` : ''}`,
      severity: t.state === 'overdue' ? 'warning' : 'info',
      at: (ctx.now?.() ?? new Date()).toISOString(),
      fields: { Task: t.id, Every: t.every, ...(t.owner ? { Owner: t.owner } : {}) },
    };
    for (const channel of task?.channels ?? all)
      rows.push({
        dedupKey: `maintenance:${t.id}:${since}:${t.state}/${channel}`,
        environment: ctx.environment,
        channel,
        payload,
      });
  }
  return rows.length ? ctx.store.alerting.enqueueNotifications(rows) : 0;
}
