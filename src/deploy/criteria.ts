/**
 * Rollback criteria decide what is automatic and what asks a person: a matched criterion with action
 * `rollback` rolls back, `ask` asks, `ignore` keeps the release; with no match, the deploy policy decides.
 */
import type { StackConfig } from '../config/index.js';

export type RollbackDecision = { action: 'rollback' | 'ask' | 'ignore'; because: string };

export interface FailureEvidence {
  trigger: string;
  failingChecks: string[];
  troubleLines: string[];
}

/** Check names are `service:endpoint` or `service:smoke:name`; a criterion may name any part, or the whole. */
function checkMatches(check: string, name: string): boolean {
  return check === name || check.endsWith(`:${name}`) || check.split(':').includes(name);
}

export function decideRollback(config: StackConfig, evidence: FailureEvidence): RollbackDecision {
  const criteria = config.rollback?.criteria ?? [];
  const matched = criteria.filter(
    (c) =>
      c.checks?.some((name) => evidence.failingChecks.some((f) => checkMatches(f, name))) ||
      c.logs?.some((pattern) => evidence.troubleLines.some((l) => l.includes(pattern))),
  );
  for (const action of ['rollback', 'ask', 'ignore'] as const) {
    const c = matched.find((m) => m.action === action);
    if (c) return { action, because: `rollback criterion "${c.reason}" (${action})` };
  }
  const policy = config.deploy.rollback;
  if (policy.automatic && policy.on.includes(evidence.trigger as (typeof policy.on)[number]))
    return { action: 'rollback', because: `deploy.rollback.on includes ${evidence.trigger}` };
  return {
    action: 'ask',
    because: policy.automatic
      ? `${evidence.trigger} is not an automatic rollback trigger`
      : 'automatic rollback is off',
  };
}
