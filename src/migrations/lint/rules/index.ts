/** Every lint rule, one group per file. */
import type { Rule } from '../context.js';
import { columnRules } from './columns.js';
import { constraintRules } from './constraints.js';
import { destructiveRules } from './destructive.js';
import { indexRules } from './indexes.js';
import { lockRules } from './locks.js';
import { robustRules } from './robust.js';
import { timeoutRules } from './timeouts.js';
import { transactionRules } from './transactions.js';
import { typeRules } from './types.js';

export const RULES: readonly Rule[] = [
  ...indexRules,
  ...columnRules,
  ...constraintRules,
  ...destructiveRules,
  ...robustRules,
  ...timeoutRules,
  ...typeRules,
  ...transactionRules,
  ...lockRules,
];

/** Names `-- opsbook-ignore` accepts: the rules, parse errors, empty files, and the runner's reference check before drops. */
export const RULE_NAMES: ReadonlySet<string> = new Set([
  ...RULES.map((r) => r.name),
  'syntax-error',
  'empty-file',
  'still-referenced',
]);
