import { LINT_RULE_NAMES } from '../lint-rule-names.js';
import { obj } from '../raw.js';
import { closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';

/** What `migrations.rules` may set: the lint rules, parse errors, the reference check, and engines' unlinted files. */
const NAMES = [...LINT_RULE_NAMES, 'not-linted'];
const KNOWN = new Set([...NAMES, ...NAMES.map((n) => `migration/${n}`)]);

/** A misspelt rule name changed nothing while the config read as if that rule were off (or made an error). */
export const unknownLintRule = defineRule({
  code: 'config/unknown-lint-rule',
  check({ config, report }) {
    for (const name of Object.keys(obj(obj(config.migrations).rules))) {
      if (KNOWN.has(name)) continue;
      const guess = closestMatch(name.replace(/^migration\//, ''), NAMES);
      report({
        severity: 'error',
        message: `migrations.rules names an unknown lint rule '${name}': this setting changes nothing`,
        hint: guess
          ? `did you mean 'migration/${guess}'?`
          : "use the codes 'opsbook migrate lint' prints, e.g. migration/prefer-bigint-over-int",
        path: ['migrations', 'rules', name],
        key: true,
      });
    }
  },
});
