/** `backup prune`: applies the entry's retention to its destination; `dryRun` only reports what would go. */
import type { Destination } from './destination.js';
import type { BackupEntry } from './entry.js';
import { manifestKey, splitId, verifyKey } from './keys.js';
import { listBackups } from './list.js';
import { applyRetention, type RetentionDecision } from './retention.js';

export interface PruneResult {
  decisions: RetentionDecision[];
  removed: string[];
  dryRun: boolean;
}

export async function pruneBackups(options: {
  entry: BackupEntry;
  destination: Destination;
  dryRun: boolean;
  now?: Date;
}): Promise<PruneResult> {
  const listing = await listBackups(options.destination, options.entry.id);
  const decisions = applyRetention(
    listing.map((b) => ({
      id: b.manifest.id,
      at: new Date(b.manifest.startedAt),
      verified: b.verification?.ok === true,
    })),
    options.entry.retention,
    options.now ?? new Date(),
  );
  const removed: string[] = [];
  if (!options.dryRun)
    for (const d of decisions.filter((x) => !x.keep)) {
      const manifest = listing.find((b) => b.manifest.id === d.id)!.manifest;
      const parts = splitId(d.id);
      // The manifest goes first: a backup without one is no longer listed, even if removing the archive fails.
      if (parts) await options.destination.remove(manifestKey(parts.entry, parts.stamp));
      await options.destination.remove(manifest.key);
      if (parts) await options.destination.remove(verifyKey(parts.entry, parts.stamp));
      removed.push(d.id);
    }
  return { decisions, removed, dryRun: options.dryRun };
}
