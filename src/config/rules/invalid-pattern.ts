import { defineRule } from './rule.js';
import { envVariables } from './walk.js';

export const invalidPattern = defineRule({
  code: 'config/invalid-pattern',
  check({ config, report }) {
    for (const { variable, spec, at } of envVariables(config)) {
      if (typeof spec.pattern !== 'string') continue;
      try {
        new RegExp(spec.pattern);
      } catch (error) {
        report({
          severity: 'error',
          message: `pattern of ${variable}: ${(error as Error).message}`,
          path: [...at, 'pattern'],
        });
      }
    }
  },
});
