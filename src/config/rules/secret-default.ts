import { str } from '../raw.js';
import { defineRule } from './rule.js';
import { envVariables } from './walk.js';

export const secretDefault = defineRule({
  code: 'config/secret-default',
  check({ config, report }) {
    for (const { variable, spec, at } of envVariables(config))
      if (spec.secret === true && str(spec.default) !== undefined)
        report({
          severity: 'error',
          message: `${variable} is secret but has a default value written in the config`,
          hint: 'remove the default; set the value in the platform or a local .env file that is not committed',
          path: [...at, 'default'],
        });
  },
});
