/**
 * Files on disk against the history table: what is applied, pending, half applied, edited, missing or out of order.
 * Edited, missing and out-of-order files stop the runner: applying past them would make the database drift from the
 * directory without anyone noticing.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { compareVersions, type MigrationFile } from './files.js';
import type { HistoryRow } from './history.js';

export type MigrationState =
  | 'applied'
  | 'pending'
  | 'partial'
  | 'checksum-mismatch'
  | 'missing-file'
  | 'out-of-order'
  | 'failed'
  | 'rolled-back';

export interface StatusEntry {
  version: string;
  name: string;
  state: MigrationState;
  file?: MigrationFile;
  row?: HistoryRow;
  /** When an engine's history records it applied (opsbook's own rows carry their times). */
  appliedAt?: string;
}

export interface Comparison {
  entries: StatusEntry[];
  /** Files to run, in order; a partial file comes first so it resumes before anything newer. */
  pending: StatusEntry[];
  diagnostics: Diagnostic[];
}

export function compareHistory(
  files: readonly MigrationFile[],
  rows: readonly HistoryRow[],
  options: {
    allowOutOfOrder?: boolean;
    /** Versions whose file is there but refused (its diagnostic says why): their rows are not "missing". */
    refused?: readonly string[];
    /** Whether an edited, half-applied file still starts with the statements already applied (then it may resume). */
    appliedPartUnchanged?: (file: MigrationFile, row: HistoryRow) => boolean;
  } = {},
): Comparison {
  const byVersion = new Map(rows.map((r) => [BigInt(r.version).toString(), r]));
  const fileVersions = new Set(files.map((f) => BigInt(f.version).toString()));
  const refused = new Set((options.refused ?? []).map((v) => BigInt(v).toString()));
  const newestApplied = rows.reduce<string | undefined>(
    (max, r) => (max === undefined || compareVersions(r.version, max) > 0 ? r.version : max),
    undefined,
  );
  const entries: StatusEntry[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const file of files) {
    const row = byVersion.get(BigInt(file.version).toString());
    const base = { version: file.version, name: file.name, file, row };
    if (
      row &&
      row.checksum !== file.checksum &&
      !row.finished_at &&
      options.appliedPartUnchanged?.(file, row)
    ) {
      // Fixing the statement that failed in a half-applied file is the normal way out, so it is allowed.
      entries.push({ ...base, state: 'partial' });
      diagnostics.push({
        severity: 'info',
        code: 'migration/resuming-edited-file',
        message: `${file.display} changed after statement ${row.statements_applied}, which is where it stopped; it resumes with the new text`,
        location: { file: file.display },
      });
    } else if (row && row.checksum !== file.checksum) {
      entries.push({ ...base, state: 'checksum-mismatch' });
      diagnostics.push(checksumDiagnostic(file, row));
    } else if (row) {
      entries.push({ ...base, state: row.finished_at ? 'applied' : 'partial' });
    } else if (newestApplied !== undefined && compareVersions(file.version, newestApplied) < 0) {
      entries.push({ ...base, state: 'out-of-order' });
      if (!options.allowOutOfOrder) diagnostics.push(outOfOrderDiagnostic(file, newestApplied));
    } else {
      entries.push({ ...base, state: 'pending' });
    }
  }
  for (const row of rows) {
    if (fileVersions.has(BigInt(row.version).toString())) continue;
    if (refused.has(BigInt(row.version).toString())) {
      // Calling it deleted would have repair forget the row, and the fixed file would then be applied a second time.
      entries.push({
        version: row.version,
        name: row.name,
        state: row.finished_at ? 'applied' : 'partial',
        row,
      });
      continue;
    }
    entries.push({ version: row.version, name: row.name, state: 'missing-file', row });
    diagnostics.push({
      severity: 'error',
      code: 'migration/missing-file',
      message: `${row.version}_${row.name} was applied ${when(row)} but its file is no longer in the migrations directory`,
      hint: "restore the file from version control, or run 'opsbook migrate repair' to forget it",
    });
  }
  entries.sort((a, b) => compareVersions(a.version, b.version));
  const runnable = (e: StatusEntry) =>
    e.state === 'pending' || (e.state === 'out-of-order' && options.allowOutOfOrder);
  // Only with its file: a half-applied file that is refused cannot resume until it reads again.
  const pending = [...entries.filter((e) => e.state === 'partial' && e.file), ...entries.filter(runnable)];
  return { entries, pending, diagnostics };
}

function when(row: HistoryRow): string {
  return `on ${row.started_at.toISOString().slice(0, 19).replace('T', ' ')} by ${row.applied_by}`;
}

function checksumDiagnostic(file: MigrationFile, row: HistoryRow): Diagnostic {
  const partial = row.finished_at === null;
  return {
    severity: 'error',
    code: 'migration/checksum-mismatch',
    message: `${file.display} was edited after it was ${partial ? 'partly ' : ''}applied ${when(row)} (checksum ${row.checksum.slice(0, 12)} recorded, ${file.checksum.slice(0, 12)} now)`,
    hint: partial
      ? 'restore the file as it was so the run can resume; a half-applied file must not change'
      : "restore the file from version control and put the change in a new migration; if the edit is only comments or formatting, run 'opsbook migrate repair'",
    location: { file: file.display },
  };
}

function outOfOrderDiagnostic(file: MigrationFile, newest: string): Diagnostic {
  return {
    severity: 'error',
    code: 'migration/out-of-order',
    message: `${file.display} is pending but the newer migration ${newest} is already applied`,
    hint: `renumber it after ${newest} if it depends on nothing newer, or pass --allow-out-of-order to apply it anyway`,
    location: { file: file.display },
  };
}
