/** How `opsbook backup` results read in a terminal, and each subcommand's outcome. */
import type { RestoreOutcome } from '../app/backup.js';
import type {
  BackupListing,
  BackupRunSummary,
  Confirmation,
  ManagedStatus,
  PruneResult,
  RestorePlan,
  RestoreResult,
  VerifyRecord,
} from '../backups/index.js';
import { type Output, printable } from '../output/index.js';
import { formatMs } from '../timing/index.js';
import type { CommandOutcome } from './types.js';

const size = (bytes: number) =>
  bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(2)} GB`
    : bytes >= 1024 ** 2
      ? `${(bytes / 1024 ** 2).toFixed(1)} MB`
      : `${(bytes / 1024).toFixed(1)} kB`;

export function printRun(out: Output, s: BackupRunSummary): void {
  if (!s.result.ok) {
    out.error(`backup failed: ${s.result.error}`, 'nothing was kept; old backups were not pruned');
    return;
  }
  const m = s.result.manifest;
  const rows = m.tables.reduce((n, t) => n + t.rows, 0);
  out.success(
    `${m.id}: ${size(m.bytes)} in ${formatMs(m.durationMs)}, ${m.tables.length} tables, ${rows} rows${m.encryption ? ', encrypted' : ''}`,
  );
  out.line(`  sha256 ${m.sha256}  (pg_dump ${m.pgDumpVersion}, server ${m.serverVersion})`);
  if (s.prune?.removed.length) out.line(`  pruned ${s.prune.removed.length}: ${s.prune.removed.join(', ')}`);
  if (s.prune?.leftovers.length) out.line(`  removed what killed runs left: ${s.prune.leftovers.join(', ')}`);
  if (s.pruneError)
    out.error(
      `the backup was kept, but retention could not be applied: ${s.pruneError}`,
      'old backups beyond the retention are still there: fix the cause, then run `opsbook backup prune`',
    );
  out.note('a backup counts once a restore of it was tested: run `opsbook backup verify`');
}

export function printList(out: Output, list: readonly BackupListing[]): void {
  if (!list.length) {
    out.error(
      'no backups in the destination',
      'run `opsbook backup run`, and check that destination points where they go',
    );
    return;
  }
  out.table(list, [
    { header: 'BACKUP', value: (b) => b.manifest.id },
    { header: 'SIZE', value: (b) => size(b.manifest.bytes) },
    { header: 'TABLES', value: (b) => String(b.manifest.tables.length) },
    { header: 'ROWS', value: (b) => String(b.manifest.tables.reduce((n, t) => n + t.rows, 0)) },
    { header: 'TOOK', value: (b) => formatMs(b.manifest.durationMs) },
    {
      header: 'VERIFIED',
      value: (b) =>
        !b.verification
          ? 'never'
          : b.verification.ok
            ? `yes (${b.verification.at.slice(0, 16)}, restore ${formatMs(b.verification.durationMs)})`
            : 'FAILED',
    },
  ]);
}

export function printVerify(out: Output, v: VerifyRecord): void {
  if (v.ok)
    out.success(
      `${v.backupId} restored into a scratch database and checked in ${formatMs(v.durationMs)}${v.checked ? `: ${checkedWords(v.checked)}` : ''}`,
    );
  else {
    out.error(`${v.backupId} failed its restore drill`);
    // Problems quote the database (an invariant's error, a value in it): control characters shown as \xNN.
    for (const p of v.problems) out.line(`  - ${printable(p, { newlines: true })}`);
  }
}

export function printPrune(out: Output, r: PruneResult): void {
  if (!r.decisions.length)
    out.error(
      'no backups in the destination: nothing to prune',
      'check that destination points where the backups go (`opsbook backup list`)',
    );
  else
    out.table(r.decisions, [
      { header: 'BACKUP', value: (d) => d.id },
      {
        header: r.dryRun ? 'WOULD' : 'ACTION',
        value: (d) => (d.keep ? 'keep' : r.dryRun ? 'delete' : 'deleted'),
      },
      { header: 'WHY', value: (d) => d.reasons.join('; ') || 'outside every retention rule' },
    ]);
  if (r.leftovers.length)
    out.line(
      `${r.dryRun ? 'would remove' : 'removed'} what killed runs left (no manifest, over a day old): ${r.leftovers.join(', ')}`,
    );
}

export function printRestorePlan(out: Output, p: RestorePlan): void {
  out.heading(`restore ${p.backup}`);
  out.line(`  into      ${p.target}${p.isProduction ? '  (THE PRODUCTION DATABASE)' : ''}`);
  out.line(
    `  target    ${!p.exists ? 'does not exist: it is created' : p.existingTables ? `${p.existingTables} tables: a safety backup is taken, then they are replaced` : 'exists and is empty'}`,
  );
}

export function printRestore(out: Output, r: RestoreResult): void {
  if (r.safetyBackup) out.line(`  safety backup: ${r.safetyBackup}`);
  if (r.ok)
    out.success(
      `restored ${r.plan.backup} into ${r.plan.targetDatabase} in ${formatMs(r.durationMs)}; row counts match the backup`,
    );
  else {
    out.error(`restore of ${r.plan.backup} into ${r.plan.targetDatabase} failed`);
    for (const p of r.problems) out.line(`  - ${printable(p, { newlines: true })}`);
  }
}

const age = (iso: string) => {
  const h = (Date.now() - Date.parse(iso)) / 3600e3;
  return h >= 48 ? `${(h / 24).toFixed(1)} days ago` : `${h.toFixed(1)} h ago`;
};

export function printManaged(out: Output, s: ManagedStatus): void {
  const where = s.platform ?? 'the platform';
  if (!s.newestAt) {
    out.error(
      s.source === 'platform-api'
        ? `${s.entry}: the ${where} API lists no completed backup`
        : `${s.entry}: no backup of ${where} has been confirmed`,
      s.source === 'platform-api'
        ? `check that backups are enabled for this ${where} project`
        : 'after checking the platform dashboard, record it: opsbook backup confirm ENTRY --at TIME',
    );
    return;
  }
  out.success(`${s.entry}: newest backup ${s.newestAt} (${age(s.newestAt)})`);
  if (s.source === 'platform-api') out.line(`  from the ${where} API, ${s.count ?? 0} backups listed`);
  else if (s.confirmation)
    out.line(
      `  confirmed by ${s.confirmation.by} at ${s.confirmation.confirmedAt}${s.confirmation.note ? `: ${s.confirmation.note}` : ''}`,
    );
}

export function printConfirmation(out: Output, c: Confirmation): void {
  out.success(`${c.entry}: backup of ${c.backupAt} confirmed by ${c.by}`);
}

export const runOutcome = (s: BackupRunSummary): CommandOutcome => ({
  ok: s.result.ok && !s.pruneError,
  data: s,
  print: (out) => printRun(out, s),
});

export const confirmationOutcome = (c: Confirmation): CommandOutcome => ({
  ok: true,
  data: c,
  print: (out) => printConfirmation(out, c),
});

export function listOutcome(
  l: { managed: false; backups: BackupListing[] } | { managed: true; status: ManagedStatus },
): CommandOutcome {
  // No backup known is a failure: "nothing found" must never read as fine.
  if (l.managed)
    return {
      ok: l.status.newestAt !== undefined,
      data: l.status,
      print: (out) => printManaged(out, l.status),
    };
  return { ok: l.backups.length > 0, data: l.backups, print: (out) => printList(out, l.backups) };
}

export const verifyOutcome = (v: VerifyRecord): CommandOutcome => ({
  ok: v.ok,
  data: v,
  print: (out) => printVerify(out, v),
});

export const pruneOutcome = (r: PruneResult): CommandOutcome => ({
  // Like list: a prune that found no backup at all is looking in the wrong place, not done.
  ok: r.decisions.length > 0,
  data: r,
  print: (out) => printPrune(out, r),
});

export function restoreOutcome(r: RestoreOutcome): CommandOutcome {
  if (r.status === 'planned')
    return { ok: true, data: { plan: r.plan, dryRun: true }, print: (out) => printRestorePlan(out, r.plan) };
  return { ok: r.result.ok, data: r.result, print: (out) => printRestore(out, r.result) };
}

/** "3 tables and 50,000 rows match the backup's counts, 1 invariant holds". */
function checkedWords(c: NonNullable<VerifyRecord['checked']>): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (c.tables)
    parts.push(`${plural(c.tables, 'table')} and ${plural(c.rows, 'row')} match the backup's counts`);
  if (c.invariants)
    parts.push(`${plural(c.invariants, 'invariant')} ${c.invariants === 1 ? 'holds' : 'hold'}`);
  return parts.join(', ');
}
