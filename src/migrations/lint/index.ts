/** The migration linter: safety rules on the real Postgres parser, aware of how opsbook will run each file. */
export type { Rule } from './context.js';
export {
  DEFAULT_PG,
  type LintedFile,
  type LintOptions,
  type LintResult,
  type LintSource,
  lintSources,
  type RuleSeverity,
} from './engine.js';
export { readSuppressions, type Suppressions } from './ignore.js';
export { RULE_NAMES, RULES } from './rules/index.js';
