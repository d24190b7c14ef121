/** What a config rule is and what it gets: the raw config, the declared names, and a report bound to its code. */
import type { Diagnostic } from '../../diagnostics/index.js';
import { scheduleProblem } from '../../schedule/index.js';
import type { ConfigPath } from '../locate.js';
import { arr, isObj, obj, type Raw, str } from '../raw.js';
import { closestMatch } from '../suggest.js';
import { NAMED_SCHEDULES } from '../units.js';

export type RuleDiagnostic = Omit<Diagnostic, 'location'> & { path: ConfigPath; key?: boolean };
/** A problem as a rule reports it; the rule's code is added. `key`: point at the key, not its value. */
export type RuleFinding = Omit<RuleDiagnostic, 'code'>;

export interface RuleContext {
  /** The config as written: not validated, so read it with the defensive readers of raw.ts. */
  config: Raw;
  /** Declared names, for reference checks. */
  names: {
    environments: string[];
    services: string[];
    channels: string[];
    severities: string[];
    contacts: string[];
    slos: string[];
  };
  report(finding: RuleFinding): void;
  /** Reports `name` when it is a string that is not one of `known`, with a "did you mean". */
  reference(kind: string, known: readonly string[], name: unknown, path: ConfigPath, key?: boolean): void;
  /** Reports `value` when it is a string that is neither a named schedule nor a cron expression. */
  schedule(value: unknown, path: ConfigPath): void;
}

/** One cross-field rule: one diagnostic code, one check. */
export interface ConfigRule {
  code: `config/${string}`;
  check(ctx: RuleContext): void;
}

export const defineRule = (rule: ConfigRule): ConfigRule => rule;

function declaredNames(config: Raw): RuleContext['names'] {
  const incidents = obj(config.incidents);
  return {
    environments: isObj(config.environments) ? Object.keys(config.environments) : ['production'],
    services: Object.keys(obj(config.services)),
    channels: Object.keys(obj(config.channels)),
    severities: Object.keys(obj(incidents.severities)),
    contacts: Object.keys(obj(incidents.contacts)),
    slos: arr(config.slos)
      .map((s) => str(obj(s).id))
      .filter((s): s is string => Boolean(s)),
  };
}

/** Runs `rule` over `config`, adding what it finds to `out`. */
export function runRule(rule: ConfigRule, config: Raw, out: RuleDiagnostic[]): void {
  const report = (finding: RuleFinding) => out.push({ ...finding, code: rule.code });
  rule.check({
    config,
    names: declaredNames(config),
    report,
    reference(kind, known, name, path, key = false) {
      if (typeof name !== 'string' || known.includes(name)) return;
      const guess = closestMatch(name, known);
      report({
        severity: 'error',
        message: `unknown ${kind} '${name}'`,
        hint: guess
          ? `did you mean '${guess}'?`
          : known.length
            ? `declared ${kind}s: ${known.join(', ')}`
            : `declare it first`,
        path,
        key,
      });
    },
    schedule(value, path) {
      if (typeof value !== 'string' || (NAMED_SCHEDULES as readonly string[]).includes(value)) return;
      const problem = scheduleProblem(value);
      if (problem)
        report({
          severity: 'error',
          message: `'${value}' is not a schedule: ${problem}`,
          hint: `use ${NAMED_SCHEDULES.join(', ')} or a cron expression such as "*/15 * * * *"`,
          path,
        });
    },
  });
}
