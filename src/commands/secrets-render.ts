/** How `opsbook secrets scan` reports: what was scanned and skipped, the baseline, and the findings (never their values). */
import {
  findingsToDiagnostics,
  nothingScanned,
  type ScanResult,
  type SkipReason,
} from '../checks/secrets/index.js';
import type { Output } from '../output/index.js';
import type { CommandOutcome } from './types.js';

const MIB = 1024 * 1024;
const SHOWN_SKIPS = 5;
const SKIP_LABELS: Partial<Record<SkipReason, string>> = {
  'too-large': 'over the size limit',
  special: 'special (FIFO, socket or device)',
  'outside-root': 'out-of-folder symlinked',
};

function printSummary(out: Output, r: ScanResult): void {
  const what =
    r.mode === 'history'
      ? `${r.commits ?? 0} commit(s), ${r.files} added-line fragment(s)`
      : `${r.files} file(s)`;
  const size = `${(r.bytes / MIB).toFixed(1)} MiB`;
  const threads = r.workers
    ? `${r.workers} worker thread(s)${r.mainThread ? ' and the main thread' : ''}`
    : 'on the main thread';
  out.note(
    `scanned ${what} (${size}) in ${r.durationMs} ms with ${r.rules} rules (${r.ruleSource}), ${threads}`,
  );
  for (const reason of ['binary', 'too-large', 'unreadable', 'special', 'outside-root'] as const) {
    const files = r.skipped.filter((s) => s.reason === reason);
    if (!files.length) continue;
    const label = SKIP_LABELS[reason] ?? reason;
    const names = files.slice(0, SHOWN_SKIPS).map((s) => s.file);
    const more = files.length > SHOWN_SKIPS ? `, and ${files.length - SHOWN_SKIPS} more` : '';
    out.note(`skipped ${files.length} ${label} file(s): ${names.join(', ')}${more}`);
  }
  for (const note of r.notes) out.warn(note);
  if (r.ignored) out.note(`${r.ignored} finding(s) listed in .gitleaksignore`);
  if (r.baselineWritten !== undefined) {
    out.success(`wrote ${r.baselineWritten} accepted finding(s) to ${r.baselineFile}`);
    return;
  }
  if (r.baselined) out.note(`${r.baselined} finding(s) accepted by ${r.baselineFile}`);
  if (nothingScanned(r)) return;
  if (r.findings.length === 0) out.success('no secrets found');
  else
    out.line(
      `${out.style('red', `${r.findings.length} secret(s) found`)}: see below; values are never shown`,
    );
}

export function scanOutcome(result: ScanResult): CommandOutcome {
  const nothing = nothingScanned(result);
  return {
    ok: result.findings.length === 0 && !nothing,
    data: result,
    diagnostics: [...(nothing ? [nothing] : []), ...findingsToDiagnostics(result.findings)],
    print: (out) => printSummary(out, result),
  };
}
