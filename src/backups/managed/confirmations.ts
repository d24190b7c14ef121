/** Human confirmations of platform backups, stored as runs: who confirmed, when, and when the backup was taken. */
import type { Store } from '../../store/index.js';

export interface Confirmation {
  entry: string;
  /** When the confirmed backup was taken. */
  backupAt: string;
  confirmedAt: string;
  by: string;
  note?: string;
}

const KIND = 'backup-confirm';

export async function recordConfirmation(store: Store, c: Confirmation): Promise<Confirmation> {
  const run = await store.createRun({
    kind: KIND,
    status: 'succeeded',
    actor: c.by,
    startedAt: c.confirmedAt,
    summary: { ...c },
  });
  await store.updateRun(run.id, { finishedAt: c.confirmedAt });
  return c;
}

/** The confirmation of the newest backup for an entry, if any person confirmed one. */
export async function latestConfirmation(store: Store, entry: string): Promise<Confirmation | undefined> {
  const runs = await store.listRuns({ kind: KIND, status: 'succeeded', limit: 500 });
  const mine = runs
    .map((r) => r.summary as unknown as Confirmation | null)
    .filter((s): s is Confirmation => s?.entry === entry && typeof s.backupAt === 'string');
  return mine.sort((a, b) => Date.parse(b.backupAt) - Date.parse(a.backupAt))[0];
}
