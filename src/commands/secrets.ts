/** `opsbook secrets scan [path] [--history] [--baseline FILE] [--write-baseline]`: the secret scanner as a command. */
import {
  findingsToDiagnostics,
  type ScanOptions,
  type ScanResult,
  type SkipReason,
  scanSecrets,
} from '../checks/secrets/index.js';
import { UserError } from '../errors.js';
import type { Output } from '../output/index.js';
import { flagBool, flagString } from './args.js';
import type { CommandHandler, CommandOutcome } from './types.js';

export { type ScanOptions, type ScanResult, scanSecrets };

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
  if (r.findings.length === 0) out.success('no secrets found');
  else
    out.line(
      `${out.style('red', `${r.findings.length} secret(s) found`)}: see below; values are never shown`,
    );
}

function outcome(result: ScanResult): CommandOutcome {
  return {
    ok: result.findings.length === 0,
    data: result,
    diagnostics: findingsToDiagnostics(result.findings),
    print: (out) => printSummary(out, result),
  };
}

export const run: CommandHandler = async (input) => {
  const [sub, path, ...extra] = input.positionals;
  if (sub !== 'scan') {
    throw new UserError(
      sub ? `unknown subcommand 'secrets ${sub}'` : 'missing subcommand',
      'usage: opsbook secrets scan [PATH] [--history] [--baseline FILE] [--write-baseline]',
    );
  }
  if (extra.length)
    throw new UserError(
      `scan takes one path, got ${input.positionals.length - 1}`,
      'scan a common parent directory instead',
    );
  const result = await scanSecrets({
    cwd: input.cwd,
    path,
    history: flagBool(input, 'history'),
    baseline: flagString(input, 'baseline'),
    writeBaseline: flagBool(input, 'write-baseline'),
    workers: threadsFlag(flagString(input, 'threads')),
    signal: input.signal,
  });
  return outcome(result);
};

/** `--threads N`: 1 is the main thread alone (no workers), more are that many worker threads. */
function threadsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64)
    throw new UserError(`--threads must be a whole number from 1 to 64, not '${value}'`, 'e.g. --threads 2');
  return n === 1 ? 0 : n;
}
