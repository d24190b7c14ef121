/** The `secrets` gate: the working tree scanned for committed secrets (options.history: true scans git history too). */

import type { Gate } from '../../config/index.js';
import { findingsToDiagnostics, nothingScanned, scanSecrets } from '../secrets/index.js';
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
  if (result.findings.length)
    return {
      status: 'failed',
      summary: `${result.findings.length} secret(s) found, e.g. ${result.findings[0]!.description} in ${result.findings[0]!.file}:${result.findings[0]!.line}`,
      evidence,
      diagnostics: findingsToDiagnostics(result.findings),
    };
  return {
    status: 'passed',
    summary: `no secrets in ${result.files} file(s) (${result.rules} rules${result.baselined ? `, ${result.baselined} accepted in the baseline` : ''})`,
    evidence,
  };
}
