import type { RuleSpec, ValidatorName } from '../types.js';

interface RuleInput {
  id: string;
  description: string;
  regex: RegExp;
  keywords: string[];
  secretGroup?: number;
  entropy?: number;
  validator?: ValidatorName;
  multiline?: boolean;
}

/** Built-in rules are written as RegExp literals (checked by the linter) and stored as plain data. */
export function defineRule(input: RuleInput): RuleSpec {
  const { regex, ...rest } = input;
  return { ...rest, regex: { source: regex.source, flags: regex.flags }, allowlists: [] };
}
