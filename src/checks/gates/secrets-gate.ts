/** The `secrets` gate: the working tree scanned for committed secrets (options.history: true scans git history too). */

import type { Gate } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { findingsToDiagnostics, nothingScanned, type SkippedFile, scanSecrets } from '../secrets/index.js';
import type { GateContext, GateOutcome } from './types.js';

export async function runSecretsGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const result = await scanSecrets({
    cwd: ctx.cwd,
    history: gate.options?.history === true,
    ...(typeof gate.options?.path === 'string' ? { path: gate.options.path } : {}),
    ...(typeof gate.options?.baseline === 'string' ? { baseline: gate.options.baseline } : {}),
    signal: ctx.signal,
  });
  const evidence = {
    files: result.files,
    mib: Number((result.bytes / 1048576).toFixed(2)),
    rules: result.rules,
    findings: result.findings.length,
    baselined: result.baselined,
    skipped: result.skipped.length,
  };
  const nothing = nothingScanned(result);
  if (nothing) return { status: 'failed', summary: nothing.message, evidence, diagnostics: [nothing] };
  const unread = notRead(result.skipped);
  if (result.findings.length)
    return {
      status: 'failed',
      summary: `${result.findings.length} secret(s) found, e.g. ${result.findings[0]!.description} in ${result.findings[0]!.file}:${result.findings[0]!.line}`,
      evidence,
      diagnostics: [...findingsToDiagnostics(result.findings), ...unread],
    };
  return {
    status: 'passed',
    summary: `no secrets in ${result.files} file(s) (${result.rules} rules${result.baselined ? `, ${result.baselined} accepted in the baseline` : ''})${unread.length ? `; ${unread.length} text file(s) not read: see the warnings` : ''}`,
    evidence,
    ...(unread.length ? { diagnostics: unread } : {}),
  };
}

/**
 * Files the scan could hold text in but did not read (over the size limit, unreadable): the command lists them, and
 * the gate said only "no secrets", as if it had read them. Binary files and special files are not text to scan.
 */
function notRead(skipped: readonly SkippedFile[]): Diagnostic[] {
  return skipped
    .filter((s) => s.reason === 'too-large' || s.reason === 'unreadable')
    .map((s) => ({
      severity: 'warning',
      code: 'secrets/not-scanned',
      message:
        s.reason === 'too-large'
          ? `${s.file} was not scanned: ${((s.size ?? 0) / 1048576).toFixed(1)} MiB is over the 5 MiB limit`
          : `${s.file} was not scanned: it could not be read`,
      hint:
        s.reason === 'too-large'
          ? 'a large text file (a dump, a bundle) can hold a key: keep it out of the repository (.gitignore) or scan it with gitleaks'
          : 'check its permissions, so opsbook can read what will be deployed',
      location: { file: s.file },
    }));
}
