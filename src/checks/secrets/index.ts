/** The secret scanner: gitleaks-format rules, keyword-windowed regexes, worker threads, baseline; never prints a secret. */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { ScanResult } from './scan.js';
import type { SecretFinding } from './types.js';

export { DEFAULT_BASELINE } from './baseline.js';
export { builtinRuleSet } from './rules/index.js';
export { type ScanOptions, type ScanResult, scanSecrets } from './scan.js';
export type { RuleSet, RuleSpec, SecretFinding, SkippedFile, SkipReason } from './types.js';

const HINT =
  "remove it, rotate it at the provider (a committed key is compromised) and read it from the environment; if it is not a secret, add 'gitleaks:allow' to the line or accept it with 'opsbook secrets scan --write-baseline'";

/** One error per finding, code `secrets/<rule-id>`, showing only the redacted prefix. */
export function findingsToDiagnostics(findings: readonly SecretFinding[]): Diagnostic[] {
  return findings.map((f) => ({
    severity: 'error',
    code: `secrets/${f.ruleId}`,
    message: `${f.description}: ${f.redacted || f.file}${f.commit ? ` (added in commit ${f.commit.slice(0, 12)})` : ''}`,
    hint: HINT,
    location: { file: f.file, line: f.line, column: f.column },
  }));
}

/**
 * A scan that read nothing found nothing: not "no secrets". A folder of ignored or binary files, or a repository with
 * no commits yet, is said so and fails, as zero files fails the migrations gate.
 */
export function nothingScanned(result: ScanResult): Diagnostic | undefined {
  if (result.mode === 'history') {
    if (result.commits) return undefined;
    return {
      severity: 'error',
      code: 'secrets/nothing-scanned',
      message: `no commit was scanned in ${result.target}: the repository has no history to read yet`,
      hint: 'scan the working tree instead (drop --history, or options.history in the gate) until there are commits',
    };
  }
  if (result.files) return undefined;
  const skipped = result.skipped.length
    ? `all ${result.skipped.length} file(s) there were skipped (binary, too large or unreadable)`
    : "it holds no file the scan reads (a repository's ignored files and .git are left out)";
  return {
    severity: 'error',
    code: 'secrets/nothing-scanned',
    message: `no file was scanned in ${result.target}: ${skipped}`,
    location: { file: result.target },
    hint: "point the scan at the folder with the code: 'opsbook secrets scan PATH', or the gate's options.path",
  };
}
