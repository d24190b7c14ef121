import { describe, expect, it } from 'vitest';
import { LINT_RULE_NAMES } from '../../../config/index.js';
import { RULE_NAMES } from './index.js';

describe('the rule names config validation knows', () => {
  it("are exactly the linter's: a new or renamed rule is accepted by migrations.rules, and a removed one refused", () => {
    expect([...LINT_RULE_NAMES].sort()).toEqual([...RULE_NAMES].sort());
  });
});
