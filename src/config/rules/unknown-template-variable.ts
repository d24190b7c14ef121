import { obj } from '../raw.js';
import { closestMatch } from '../suggest.js';
import { ANNOUNCEMENT_VARIABLES, templateVariables, unknownVariable } from '../template.js';
import { defineRule } from './rule.js';

const KNOWN = Object.keys(ANNOUNCEMENT_VARIABLES);

/**
 * An announcement template names only variables opsbook fills in, in the one syntax `{{name}}`: a typo or
 * the single-brace form would otherwise reach the channel as written.
 */
export const unknownTemplateVariable = defineRule({
  code: 'config/unknown-template-variable',
  check({ config, names, report }) {
    const candidates = [
      ...KNOWN.filter((k) => k !== 'health.<service>'),
      ...names.services.map((s) => `health.${s}`),
    ];
    for (const [event, text] of Object.entries(obj(obj(config.announcements).templates))) {
      if (typeof text !== 'string') continue;
      const path = ['announcements', 'templates', event];
      for (const v of templateVariables(text)) {
        if (!unknownVariable(v.name, names.services)) continue;
        const guess = closestMatch(v.name, candidates);
        report({
          severity: 'error',
          message: `unknown template variable {{${v.name}}} in the ${event} announcement`,
          hint: `${guess ? `did you mean {{${guess}}}? ` : ''}known variables: ${KNOWN.map((k) => `{{${k}}}`).join(', ')}`,
          path,
        });
      }
      // The single-brace form looks like a template but is sent as written.
      for (const m of text.matchAll(/(?<!\{)\{\s*([\w.-]+)\s*\}(?!\})/g)) {
        const name = m[1] ?? '';
        if (unknownVariable(name, names.services)) continue;
        report({
          severity: 'error',
          message: `{${name}} in the ${event} announcement is not a template variable: templates use double braces`,
          hint: `write {{${name}}}`,
          path,
        });
      }
    }
  },
});
