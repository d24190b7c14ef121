/** gitleaks allowlist semantics: OR allows when any criterion matches, AND only when every configured one does. */
import type { CompiledAllowlist } from './compile.js';

export interface AllowCandidate {
  path: string;
  commit?: string;
  secret: string;
  match: string;
  line: string;
  ruleId: string;
}

export function appliesToRule(list: CompiledAllowlist, ruleId: string): boolean {
  return !list.spec.targetRules?.length || list.spec.targetRules.includes(ruleId);
}

export function isAllowed(list: CompiledAllowlist, c: AllowCandidate): boolean {
  const checks: boolean[] = [];
  if (list.spec.commits.length) checks.push(Boolean(c.commit && list.spec.commits.includes(c.commit)));
  if (list.paths.length) checks.push(list.paths.some((p) => p.test(c.path)));
  if (list.regexes.length) {
    const target =
      list.spec.regexTarget === 'match' ? c.match : list.spec.regexTarget === 'line' ? c.line : c.secret;
    checks.push(list.regexes.some((r) => r.test(target)));
  }
  if (list.stopwords.length) {
    const secret = c.secret.toLowerCase();
    checks.push(list.stopwords.some((w) => secret.includes(w)));
  }
  if (checks.length === 0) return false;
  return list.spec.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}

/** Whole-file decision for allowlists made only of paths and commits. */
export function allowsWholeFile(list: CompiledAllowlist, path: string, commit?: string): boolean {
  return list.wholeFile && isAllowed(list, { path, commit, secret: '', match: '', line: '', ruleId: '' });
}
