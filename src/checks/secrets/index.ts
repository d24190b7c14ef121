/** The secret scanner: gitleaks-format rules, keyword-windowed regexes, worker threads, baseline; never prints a secret. */
import type { Diagnostic } from '../../diagnostics/index.js';
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
