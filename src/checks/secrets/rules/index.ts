/** The built-in rule set: vendor keys, PEM blocks, connection URLs and generic secret assignments. */
import type { AllowlistSpec, RuleSet } from '../types.js';
import { GENERIC_RULES } from './generic.js';
import { VENDOR_RULES } from './vendors.js';

/** Files that hold hashes and ids, not secrets, plus opsbook's own records. */
const DEFAULT_ALLOWLIST: AllowlistSpec = {
  description: 'lock files, images, fonts and opsbook state',
  condition: 'OR',
  commits: [],
  paths: [
    {
      source: String.raw`(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock|Cargo\.lock|poetry\.lock|uv\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum)$`,
      flags: '',
    },
    { source: String.raw`\.(?:bmp|gif|jpe?g|png|ico|webp|svg|tiff?|eot|[ot]tf|woff2?)$`, flags: 'i' },
    { source: String.raw`(?:^|/)(?:\.opsbook/|\.gitleaksignore$)`, flags: '' },
  ],
  regexes: [],
  regexTarget: 'secret',
  stopwords: [],
};

export function builtinRuleSet(): RuleSet {
  return { rules: [...VENDOR_RULES, ...GENERIC_RULES], allowlists: [DEFAULT_ALLOWLIST], source: 'built-in' };
}
