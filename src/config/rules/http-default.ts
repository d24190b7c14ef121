import { str } from '../raw.js';
import { defineRule } from './rule.js';
import { envVariables } from './walk.js';

export const httpDefault = defineRule({
  code: 'config/http-default',
  check({ config, report }) {
    for (const { variable, spec, at } of envVariables(config)) {
      const def = str(spec.default);
      // Only when https applies everywhere: a per-environment list may leave http for development.
      if (def && spec.https === true && /(^|,)\s*http:\/\//.test(def))
        report({
          severity: 'error',
          message: `${variable} must be https but its default uses http://`,
          hint: 'use an https:// default, or limit https to some environments',
          path: [...at, 'default'],
        });
    }
  },
});
