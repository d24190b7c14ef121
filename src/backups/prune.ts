/** `backup prune`: applies the entry's retention to its destination; `dryRun` only reports what would go. */
import type { Destination } from './destination.js';
import type { BackupEntry } from './entry.js';
import { manifestKey, splitId, verifyKey } from './keys.js';
import { listBackups } from './list.js';
import { applyRetention, type RetentionDecision } from './retention.js';

export interface PruneResult {
  decisions: RetentionDecision[];
  removed: string[];
  /** What killed runs left (an archive without a manifest, a partial file) over a day old: removed unless dry. */
  leftovers: string[];
  dryRun: boolean;
}

/** Older than any backup run can be: the run that wrote it is over. */
const LEFTOVER_AFTER_MS = 25 * 3_600_000;
const ARCHIVE = /^(.+)\/(\d{8}T\d{6}(?:\.\d+)?Z)\.(?:dump|tar)(?:\.partial)?$/;

/** `20261204T170512.123Z` as a time. */
const stampTime = (stamp: string) =>
  Date.parse(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/, '$1-$2-$3T$4:$5:$6'));

/**
 * Archives no manifest names: a run killed (kill -9, a lost machine) between writing the archive and its manifest,
 * or while writing it. Never listed, verified or pruned, each would keep a full copy of the data for good.
 */
async function findLeftovers(destination: Destination, entry: string, now: Date): Promise<string[]> {
  const keys = await destination.list(`${entry}/`);
  const partials = (await destination.partials?.(`${entry}/`)) ?? [];
  const manifests = new Set(keys.filter((k) => k.endsWith('.manifest.json')));
  return [...keys, ...partials].filter((key) => {
    const m = ARCHIVE.exec(key);
    if (!m || m[1] !== entry) return false;
    if (!key.endsWith('.partial') && manifests.has(manifestKey(entry, m[2]!))) return false;
    return now.getTime() - stampTime(m[2]!) > LEFTOVER_AFTER_MS;
  });
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
  const leftovers = await findLeftovers(options.destination, options.entry.id, options.now ?? new Date());
  if (!options.dryRun) for (const key of leftovers) await options.destination.remove(key);
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
  return { decisions, removed, leftovers, dryRun: options.dryRun };
}
