import { str } from '../raw.js';
import { defineRule } from './rule.js';
import { envVariables } from './walk.js';

const SECRET_SHAPES =
  /^(sk[-_](live|test|ant|proj)|whsec_|ghp_|xox[bp]-|re_[A-Za-z0-9]{8}|eyJ[A-Za-z0-9_-]{10,}\.)/;

export const secretLiteral = defineRule({
  code: 'config/secret-literal',
  check({ config, report }) {
    for (const { variable, spec, at } of envVariables(config)) {
      const def = str(spec.default);
      // A secret variable with any default is config/secret-default already.
      if (spec.secret !== true && def && SECRET_SHAPES.test(def))
        report({
          severity: 'error',
          message: `the default of ${variable} looks like a real secret`,
          hint: 'never write secret values in opsbook.yaml: mark the variable secret: true and remove the default',
          path: [...at, 'default'],
        });
    }
  },
});
